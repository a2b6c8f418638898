// Package quota is netauto's admission control: a global cap and per-site
// caps on the number of runs that may talk to devices at once.
//
// A run asks a [Manager] for a [Reservation] on its device's site, either
// fast-fail with [Manager.CheckOut] (refused at once with an
// [*ExceededError] when a cap is full) or waiting in FIFO order with
// [Manager.Acquire] (batch launches). A reservation is released exactly once:
// by [Reservation.Release], or automatically when the context passed at
// checkout ends; [Manager.Run] also releases when the owner panics.
//
// Caps can change while runs are active ([Manager.SetGlobalLimit],
// [Manager.SetSiteLimit], [Manager.ClearSiteLimit]). Lowering a cap never
// ends running work: it only stops new admissions until the count falls
// under the cap. A cap of 0 is a closed door, not a queue.
//
// Limits come from the inventory file and the environment ([ParseEnv],
// [Merge]). Every checkout and checkin is reported to an optional hook
// ([WithHook]) as an [Event].
package quota
