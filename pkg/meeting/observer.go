package meeting

// Observer records lifecycle counts for metrics (metrics.Metrics implements it).
type Observer interface {
	MeetingCreated(kind, platform string)
	MeetingEnded(reason string)
	Handout(created bool)
}

// noObserver records nothing.
type noObserver struct{}

func (noObserver) MeetingCreated(string, string) {}
func (noObserver) MeetingEnded(string)           {}
func (noObserver) Handout(bool)                  {}
