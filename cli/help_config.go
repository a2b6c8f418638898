package cli

// Help texts of the inventory, config and completion commands.

const inventoryHelp = `Check an inventory: parse it, print its sites, groups and devices with the
values in force and where each came from, and list every problem with its
file and line.

Usage:
  netauto inventory check [--inventory FILE] [--inventory-format FORMAT] [--site-var VAR]

--inventory takes any of these, detected from the content (name the format
with --inventory-format when it cannot be told):
  netauto       netauto's own YAML (defaults, sites, groups, devices)
  ansible-ini   an Ansible INI inventory: [group], [group:vars],
                [group:children], ranges such as rtr[01:20].chi1 and [a:c]
  ansible-yaml  an Ansible YAML inventory (all: hosts/vars/children)
                Both Ansible forms read group_vars/ and host_vars/ beside the
                file and map ansible_host, ansible_port, ansible_user,
                ansible_network_os (cisco.ios.ios → ios, arista.eos.eos → eos,
                junipernetworks.junos.junos → junos, cisco.nxos.nxos → nxos,
                cisco.iosxr.iosxr → iosxr, and the short names) and
                ansible_ssh_private_key_file. netauto_platform overrides
                ansible_network_os; {{ var }} references are followed.
  nornir        a Nornir SimpleInventory directory (hosts.yaml, groups.yaml,
                defaults.yaml): hostname, port, username, platform (netmiko,
                napalm and scrapli names: cisco_ios, cisco_xe, arista_eos,
                juniper_junos, …), groups, data.site
  ssh-config    --inventory ssh-config: the Host entries without wildcards of
                your ssh config (ssh_config in config.yaml, else ~/.ssh/config;
                Include followed) as linux devices; a comment in a Host block
                such as '# netauto: platform=ios site=chi1 groups=core'
                says otherwise
A host's site is the variable --site-var names (default site; data.site in
Nornir), else its first group. A host whose platform is unknown is a
problem, never a guess; a host without one is linux.

Passwords in these files (ansible_password, ansible_ssh_pass,
ansible_become_password, Nornir password) are never read: the problem list
notes each as a warning, and the device reads its password from
$NETAUTO_PASSWORD (enable: $NETAUTO_ENABLE_PASSWORD), else the console or a
terminal asks for it. Set netauto_password_env (Ansible; data. in Nornir) to
name another variable.

Exit status: 0 no problems, 1 problems (warnings included), 2 the inventory
could not be read.

` + globalFlagsHelp + `
Examples:
  netauto inventory check
  netauto inventory check --inventory ~/ansible/hosts.ini --site-var dc
  netauto inventory check --inventory ./nornir/
  netauto inventory check --inventory ssh-config
`

const configHelp = `Print the settings in force and where each came from: a flag, the
environment, the config file (FILE:LINE) or the built-in default.

Usage:
  netauto config show [--config FILE]

The config file is config.yaml in ~/.config/netauto (or $XDG_CONFIG_HOME/
netauto); --config or $NETAUTO_CONFIG name another. Flags win over the
environment, which wins over the file, which wins over the defaults. An
unknown key or a bad value is an error with the file's line. Relative paths
in the file are relative to the file's directory.

  inventory: ~/ansible/hosts.ini      # $NETAUTO_INVENTORY, --inventory
  inventory_format: auto              # $NETAUTO_INVENTORY_FORMAT, --inventory-format
  site_var: site                      # $NETAUTO_SITE_VAR, --site-var
  database: ~/netauto/history.db      # $NETAUTO_DB, --db
  known_hosts: ~/.config/netauto/known_hosts   # $NETAUTO_KNOWN_HOSTS, --known-hosts
  ssh_config: ~/.ssh/config           # $NETAUTO_SSH_CONFIG
  caps:
    global: 50                        # $NET_AUTO_AUTOMATION_GLOBAL_LIMIT
    sites: {chi1: 5, nyc2: 10}        # $NET_AUTO_AUTOMATION_SITE_LIMITS; over the inventory's
  timeouts:                           # for devices that set none; run's flags win
    connect: 15s                      # $NETAUTO_CONNECT_TIMEOUT
    command: 10m                      # $NETAUTO_COMMAND_TIMEOUT
    idle: 2m                          # $NETAUTO_IDLE_TIMEOUT
  confirm_above: 20                   # $NETAUTO_CONFIRM_ABOVE (1 or more)
  prune:                              # automatic prune; unset means never
    older_than: 30d                   # $NETAUTO_PRUNE_OLDER_THAN
    max_size: 2GB                     # $NETAUTO_PRUNE_MAX_SIZE
  theme: auto                         # $NETAUTO_THEME: auto, dark, light or none

` + globalFlagsHelp + `
Examples:
  netauto config show
  NETAUTO_THEME=light netauto config show --config ./team.yaml
`

const completionHelp = `Print a shell completion script: subcommands, flags, and the device, group
and site names of your inventory.

Usage:
  netauto completion bash|zsh|fish

Examples:
  source <(netauto completion bash)          # in ~/.bashrc
  source <(netauto completion zsh)           # in ~/.zshrc, after compinit
  netauto completion fish | source           # in ~/.config/fish/config.fish
`
