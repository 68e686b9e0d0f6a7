package logging

import (
	"go.uber.org/zap"
	"go.uber.org/zap/zapcore"

	"github.com/monadical/reflector-go/pkg/redact"
)

// Redacting wraps a core so that no log line carries a URL's query string, fragment or user
// info: presigned S3 links (X-Amz-Credential, X-Amz-Signature), provider access links and
// private ICS feed URLs reach the logs through error text (ffprobe's output, an HTTP client's
// "Get <url>: ..." errors, asynq's retry messages). Every message, string field and error
// field passes through redact.Text, once, here, whatever package logged it.
func Redacting(core zapcore.Core) zapcore.Core { return redactingCore{core} }

// RedactOption is Redacting as a zap option, for loggers built elsewhere (tests, tools).
func RedactOption() zap.Option { return zap.WrapCore(Redacting) }

type redactingCore struct{ zapcore.Core }

func (c redactingCore) With(fields []zapcore.Field) zapcore.Core {
	return redactingCore{c.Core.With(redactFields(fields))}
}

func (c redactingCore) Check(ent zapcore.Entry, ce *zapcore.CheckedEntry) *zapcore.CheckedEntry {
	if c.Enabled(ent.Level) {
		return ce.AddCore(ent, c)
	}
	return ce
}

func (c redactingCore) Write(ent zapcore.Entry, fields []zapcore.Field) error {
	ent.Message = redact.Text(ent.Message)
	return c.Core.Write(ent, redactFields(fields))
}

// redactFields returns fields with strings, errors and stringers redacted; other fields are
// kept as they are (numbers, times and objects carry no error text).
func redactFields(fields []zapcore.Field) []zapcore.Field {
	out := make([]zapcore.Field, len(fields))
	for i, f := range fields {
		out[i] = redactField(f)
	}
	return out
}

func redactField(f zapcore.Field) zapcore.Field {
	switch f.Type {
	case zapcore.StringType:
		f.String = redact.Text(f.String)
	case zapcore.ErrorType:
		if err, ok := f.Interface.(error); ok && err != nil {
			return zap.String(f.Key, redact.Text(err.Error()))
		}
	case zapcore.StringerType:
		if s, ok := stringOf(f.Interface); ok {
			return zap.String(f.Key, redact.Text(s))
		}
	}
	return f
}

// stringOf calls String, which may panic on a nil pointer: the field is then left to zap,
// whose encoder reports such panics itself.
func stringOf(v any) (s string, ok bool) {
	defer func() {
		if recover() != nil {
			s, ok = "", false
		}
	}()
	st, isStringer := v.(interface{ String() string })
	if !isStringer {
		return "", false
	}
	return st.String(), true
}
