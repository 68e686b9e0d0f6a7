package setup

import (
	"crypto/tls"
	"errors"
	"fmt"
	"net"
	"net/url"
	"strconv"
	"strings"

	"github.com/hibiken/asynq"
)

// redisURLForms is what REDIS_URL accepts, for error messages.
const redisURLForms = "redis://, rediss://, redis-socket://, redis-sentinel://host:26379,...?master=NAME " +
	"or redis-cluster://host:6379,..."

// RedisOpt parses REDIS_URL into asynq's connection options. It is the only parser of
// REDIS_URL. Accepted forms (`+` may replace `-`, and `rediss` turns TLS on):
//
//	redis://[user:password@]host:port[/db]          one server (asynq's own parser)
//	rediss://...  redis-socket://[:password@]/path?db=N
//	redis-sentinel://[user:password@]host:port[,host:port...][/db]?master=NAME[&sentinel_password=P]
//	redis-sentinel://[user:password@]host:port[,...]/NAME[/db]   (the kombu/celery form)
//	redis-cluster://[user:password@]host:port[,host:port...]
//
// The user and password of a Sentinel URL are the Redis servers'; sentinel_username and
// sentinel_password authenticate to the Sentinels when they need their own. Errors never
// carry the URL, which holds the password.
func RedisOpt(raw string) (asynq.RedisConnOpt, error) {
	scheme, _, _ := strings.Cut(raw, "://")
	scheme = strings.ReplaceAll(strings.ToLower(scheme), "+", "-")
	var (
		opt asynq.RedisConnOpt
		err error
	)
	switch scheme {
	case "redis", "rediss", "redis-socket":
		opt, err = asynq.ParseRedisURI(raw)
		if err != nil {
			err = errors.New("not a valid redis URL")
		}
	case "redis-sentinel", "rediss-sentinel":
		opt, err = parseSentinel(raw)
	case "redis-cluster", "rediss-cluster":
		opt, err = parseCluster(raw)
	case "":
		err = errors.New("required")
	default:
		err = fmt.Errorf("scheme %q is not one of %s", scheme, redisURLForms)
	}
	if err != nil {
		return nil, fmt.Errorf("REDIS_URL: %w", err)
	}
	return opt, nil
}

// multiHost is what the Sentinel and Cluster forms share: credentials, host list, TLS.
type multiHost struct {
	u                  *url.URL
	addrs              []string
	username, password string
	tls                *tls.Config
}

func parseMultiHost(raw string) (multiHost, error) {
	u, err := url.Parse(raw)
	if err != nil {
		// url's error quotes the whole URL, password included.
		return multiHost{}, errors.New("not a valid URL")
	}
	m := multiHost{u: u, username: u.User.Username()}
	m.password, _ = u.User.Password()
	if strings.HasPrefix(strings.ToLower(u.Scheme), "rediss") {
		m.tls = &tls.Config{MinVersion: tls.VersionTLS12}
	}
	for _, addr := range strings.Split(u.Host, ",") {
		host, port, err := net.SplitHostPort(addr)
		if err != nil || host == "" {
			return multiHost{}, fmt.Errorf("host %q is not host:port", addr)
		}
		if n, err := strconv.Atoi(port); err != nil || n < 1 || n > 65535 {
			return multiHost{}, fmt.Errorf("host %q: bad port", addr)
		}
		m.addrs = append(m.addrs, addr)
	}
	return m, nil
}

// pathParts splits the URL path ("/mymaster/0") into its non-empty segments.
func (m multiHost) pathParts() []string {
	var out []string
	for _, p := range strings.Split(m.u.Path, "/") {
		if p != "" {
			out = append(out, p)
		}
	}
	return out
}

func parseDB(s string) (int, error) {
	db, err := strconv.Atoi(s)
	if err != nil || db < 0 {
		return 0, fmt.Errorf("database %q is not a number", s)
	}
	return db, nil
}

func parseSentinel(raw string) (asynq.RedisConnOpt, error) {
	m, err := parseMultiHost(raw)
	if err != nil {
		return nil, err
	}
	q := m.u.Query()
	master, parts := q.Get("master"), m.pathParts()
	if master == "" && len(parts) > 0 {
		master, parts = parts[0], parts[1:]
	}
	if master == "" {
		return nil, errors.New("redis-sentinel needs the master name (?master=NAME or /NAME)")
	}
	db := 0
	switch len(parts) {
	case 0:
	case 1:
		if db, err = parseDB(parts[0]); err != nil {
			return nil, err
		}
	default:
		return nil, errors.New("redis-sentinel path is /NAME[/db] or /db")
	}
	return asynq.RedisFailoverClientOpt{MasterName: master, SentinelAddrs: m.addrs,
		SentinelUsername: q.Get("sentinel_username"), SentinelPassword: q.Get("sentinel_password"),
		Username: m.username, Password: m.password, DB: db, TLSConfig: m.tls}, nil
}

func parseCluster(raw string) (asynq.RedisConnOpt, error) {
	m, err := parseMultiHost(raw)
	if err != nil {
		return nil, err
	}
	if parts := m.pathParts(); len(parts) > 1 || (len(parts) == 1 && parts[0] != "0") {
		return nil, errors.New("a Redis Cluster has only database 0: drop the /db of the URL")
	}
	return asynq.RedisClusterClientOpt{Addrs: m.addrs, Username: m.username, Password: m.password,
		TLSConfig: m.tls}, nil
}
