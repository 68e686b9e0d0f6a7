package recording

import "time"

// probeURLTTL is how long the presigned URL handed to ffprobe stays valid.
const probeURLTTL = 15 * time.Minute
