package scraper

import (
	"encoding/binary"
	"errors"
	"fmt"
	"net/url"
	"time"

	"github.com/newsvault/newsvault/archive"
)

// A queued job is stored in the frontier as: a version byte, its kind,
// depth and nest as uvarints, its URL, and, when the archive knows the
// URL, a flag then its validators. Strings are a uvarint length then the
// bytes. Only first attempts are queued there, so nothing else of a job
// needs keeping; the host is the queue's name.
const jobCodecVersion = 1

func encodeJob(j *job) []byte {
	b := make([]byte, 0, 16+len(j.u.String()))
	b = append(b, jobCodecVersion, byte(j.kind))
	b = binary.AppendUvarint(b, uint64(j.depth))
	b = binary.AppendUvarint(b, uint64(j.nest))
	b = appendString(b, j.u.String())
	if v := j.known; v != nil {
		b = append(b, 1)
		b = appendString(b, v.ETag)
		b = appendString(b, v.LastModified)
		var at int64 // 0 for the zero time, which UnixNano cannot give
		if !v.FetchedAt.IsZero() {
			at = v.FetchedAt.UnixNano()
		}
		b = binary.AppendVarint(b, at)
	} else {
		b = append(b, 0)
	}
	return b
}

func appendString(b []byte, s string) []byte {
	b = binary.AppendUvarint(b, uint64(len(s)))
	return append(b, s...)
}

var errBadJob = errors.New("malformed queued job")

// jobReader decodes what encodeJob wrote; the first error sticks.
type jobReader struct {
	b   []byte
	err error
}

func (r *jobReader) uvarint() uint64 {
	v, n := binary.Uvarint(r.b)
	if n <= 0 {
		r.err = errBadJob
		return 0
	}
	r.b = r.b[n:]
	return v
}

func (r *jobReader) varint() int64 {
	v, n := binary.Varint(r.b)
	if n <= 0 {
		r.err = errBadJob
		return 0
	}
	r.b = r.b[n:]
	return v
}

func (r *jobReader) byte() byte {
	if len(r.b) == 0 {
		r.err = errBadJob
		return 0
	}
	c := r.b[0]
	r.b = r.b[1:]
	return c
}

func (r *jobReader) string() string {
	n := r.uvarint()
	if n > uint64(len(r.b)) {
		r.err = errBadJob
		return ""
	}
	s := string(r.b[:n])
	r.b = r.b[n:]
	return s
}

func decodeJob(b []byte) (*job, error) {
	r := &jobReader{b: b}
	if v := r.byte(); r.err == nil && v != jobCodecVersion {
		return nil, fmt.Errorf("%w: version %d", errBadJob, v)
	}
	j := &job{kind: jobKind(r.byte())}
	j.depth = int(r.uvarint())
	j.nest = int(r.uvarint())
	raw := r.string()
	if r.byte() == 1 {
		v := &archive.Validators{ETag: r.string(), LastModified: r.string()}
		if at := r.varint(); at != 0 {
			v.FetchedAt = time.Unix(0, at).UTC()
		}
		j.known = v
	}
	if r.err != nil || len(r.b) > 0 || j.kind > kindSitemap {
		return nil, errBadJob
	}
	u, err := url.Parse(raw)
	if err != nil {
		return nil, fmt.Errorf("%w: %w", errBadJob, err)
	}
	j.u = u
	return j, nil
}
