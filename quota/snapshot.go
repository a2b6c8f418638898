package quota

// Usage is the state of one cap.
type Usage struct {
	// Active is the number of reservations held.
	Active int
	// Limit is the cap; -1 means no cap.
	Limit int
	// Waiting is the number of Acquire calls queued for it.
	Waiting int
}

// Snapshot is the state of a Manager at one instant.
type Snapshot struct {
	// Global is the global cap's usage; its Waiting counts every queued
	// Acquire.
	Global Usage
	// Sites holds the usage of every site that has a cap or has been used.
	Sites map[string]Usage
	// Waiting is the number of queued Acquire calls, all sites together.
	Waiting int
}
