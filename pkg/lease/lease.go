// Package lease names what a lease sweep decides about a waiting state that outlived its
// lease: restart its work (counting the restart), or, once it used up its restarts, park it
// in a visible dead state instead of restarting it forever.
package lease

// Outcome is a sweep's decision about one stalled row.
type Outcome int

// Outcomes of a claim.
const (
	// Skip: the row moved on, or another sweep claimed it, since it was listed.
	Skip Outcome = iota
	// Restart: the restart is counted and the lease renewed; queue the work again.
	Restart
	// Dead: the row had its restarts and is now parked (dead_at set, failed or error).
	Dead
)

// String names the outcome for logs.
func (o Outcome) String() string {
	switch o {
	case Restart:
		return "restart"
	case Dead:
		return "dead"
	}
	return "skip"
}
