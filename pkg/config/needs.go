package config

// Need names a part of the configuration that must be present. The long-running processes
// need all of it; each reflectorctl verb asks only for what it uses.
type Need uint8

const (
	// NeedDatabase requires DATABASE_URL.
	NeedDatabase Need = 1 << iota
	// NeedRedis requires REDIS_URL.
	NeedRedis
	// NeedPlatform requires the credentials of DEFAULT_VIDEO_PLATFORM.
	NeedPlatform

	// NeedNothing requires no setting: every value keeps its default unless set.
	NeedNothing Need = 0
	// NeedAll is what the api, worker and scheduler require.
	NeedAll = NeedDatabase | NeedRedis | NeedPlatform
)
