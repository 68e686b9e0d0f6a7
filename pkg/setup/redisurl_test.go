package setup_test

import (
	"testing"

	"github.com/hibiken/asynq"
	"github.com/stretchr/testify/require"

	"github.com/monadical/reflector-go/pkg/setup"
)

// TestRedisOptForms: one server, Sentinel and Cluster URLs map to asynq's three option kinds.
func TestRedisOptForms(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		url  string
		want asynq.RedisConnOpt
	}{
		{"redis://:pw@127.0.0.1:6379/3", asynq.RedisClientOpt{Addr: "127.0.0.1:6379", Password: "pw", DB: 3}},
		{"redis-sentinel://:pw@s1:26379,s2:26379/2?master=mymaster&sentinel_password=spw",
			asynq.RedisFailoverClientOpt{MasterName: "mymaster", SentinelAddrs: []string{"s1:26379", "s2:26379"},
				Password: "pw", SentinelPassword: "spw", DB: 2}},
		{"redis+sentinel://u:pw@s1:26379,s2:26379,s3:26379/mymaster/1",
			asynq.RedisFailoverClientOpt{MasterName: "mymaster", SentinelAddrs: []string{"s1:26379", "s2:26379", "s3:26379"},
				Username: "u", Password: "pw", DB: 1}},
		{"redis-sentinel://s1:26379/mymaster", asynq.RedisFailoverClientOpt{MasterName: "mymaster", SentinelAddrs: []string{"s1:26379"}}},
		{"redis-cluster://:pw@n1:6379,n2:6379,n3:6379", asynq.RedisClusterClientOpt{Addrs: []string{"n1:6379", "n2:6379", "n3:6379"}, Password: "pw"}},
		{"redis+cluster://n1:6379/0", asynq.RedisClusterClientOpt{Addrs: []string{"n1:6379"}}},
	} {
		got, err := setup.RedisOpt(tc.url)
		require.NoError(t, err, tc.url)
		require.Equal(t, tc.want, got, tc.url)
	}
	tlsOpt, err := setup.RedisOpt("rediss+cluster://n1:6379,n2:6379")
	require.NoError(t, err)
	require.NotNil(t, tlsOpt.(asynq.RedisClusterClientOpt).TLSConfig, "rediss turns TLS on")
}

// TestRedisOptRefusesBadInput: each bad URL gets an error naming REDIS_URL and the problem,
// and none repeats the password.
func TestRedisOptRefusesBadInput(t *testing.T) {
	t.Parallel()
	for url, want := range map[string]string{
		"":                                    "REDIS_URL: required",
		"memcached://s3cret@h:1":              `scheme "memcached" is not one of`,
		"redis-sentinel://:s3cret@s1:26379":   "needs the master name",
		"redis-sentinel://:s3cret@s1/m":       `host "s1" is not host:port`,
		"redis-sentinel://:s3cret@s1:99999/m": "bad port",
		"redis-sentinel://:s3cret@s1:1/m/x":   `database "x" is not a number`,
		"redis-sentinel://:s3cret@s1:1/m/1/2": "path is /NAME[/db]",
		"redis-cluster://:s3cret@n1:6379/3":   "only database 0",
		"redis-cluster://:s3cret@,n1:6379":    `host "" is not host:port`,
		"redis-cluster://:s3c ret@n1:6379%":   "not a valid URL",
		"redis://:s3cret@h:6379/notadb":       "not a valid redis URL",
	} {
		_, err := setup.RedisOpt(url)
		require.ErrorContains(t, err, "REDIS_URL: ", url)
		require.ErrorContains(t, err, want, url)
		require.NotContains(t, err.Error(), "s3cret", url)
	}
}
