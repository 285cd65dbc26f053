package sqlite

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"runtime"
	"time"

	"github.com/klauspost/compress/zstd"
	_ "modernc.org/sqlite" // registers the "sqlite" driver

	"github.com/newsvault/newsvault/archive"
)

var _ archive.Store = (*Store)(nil)

// Store is an archive.Store in one SQLite file. It is safe for concurrent
// use, and several processes may open the same file. The zero value is
// not usable; call Open.
type Store struct {
	path string
	now  func() time.Time

	// write has one connection: SQLite allows one writer at a time, and
	// queuing in database/sql is cheaper and fairer than busy-waiting on
	// the file lock between our own goroutines.
	write *sql.DB
	// read is query-only and may hold many connections; in WAL mode they
	// read a snapshot while write commits.
	read *sql.DB
	// stmts are the save path's statements, prepared on write's connection.
	stmts map[string]*sql.Stmt
	// latestFingerprint is Save's look, on read, at what it will replace.
	latestFingerprint *sql.Stmt
	group             groupCommit

	// Owned by the Store and shared by its goroutines: EncodeAll and
	// DecodeAll are safe for concurrent use.
	enc *zstd.Encoder
	dec *zstd.Decoder
}

// Option configures Open.
type Option func(*options)

type options struct {
	now         func() time.Time
	busyTimeout time.Duration
}

// WithNow sets the clock used for times the Store records itself (a
// capture without FetchedAt, a migration's applied_at), so tests are
// deterministic. The default is time.Now.
func WithNow(now func() time.Time) Option {
	return func(o *options) { o.now = now }
}

// WithBusyTimeout sets how long a write waits for another process holding
// the database's write lock before failing with ErrBusy. The default is
// 10 seconds.
func WithBusyTimeout(d time.Duration) Option {
	return func(o *options) { o.busyTimeout = d }
}

// Open opens the archive at path, creating the file if it does not exist
// and applying any migration it has not had yet. path names a file on
// disk (":memory:" is not supported: the two pools would see two
// databases).
func Open(ctx context.Context, path string, opts ...Option) (*Store, error) {
	o := options{now: time.Now, busyTimeout: 10 * time.Second}
	for _, opt := range opts {
		opt(&o)
	}
	s, err := open(ctx, path, o)
	if err != nil {
		return nil, fmt.Errorf("open archive %s: %w", path, err)
	}
	return s, nil
}

func open(ctx context.Context, path string, o options) (*Store, error) {
	writeDSN, err := dsn(path, o.busyTimeout, "_txlock=immediate")
	if err != nil {
		return nil, err
	}
	// query_only makes a stray write through the read pool an error
	// instead of a second writer competing for the lock.
	readDSN, err := dsn(path, o.busyTimeout, "_pragma=query_only(1)")
	if err != nil {
		return nil, err
	}
	s := &Store{path: path, now: o.now}
	if s.write, err = sql.Open("sqlite", writeDSN); err != nil {
		return nil, err
	}
	s.write.SetMaxOpenConns(1)
	// The first connection runs the DSN's pragmas: a file that is not a
	// database or cannot be created fails here.
	if err := connect(ctx, s.write, o.busyTimeout); err != nil {
		return nil, errors.Join(fmt.Errorf("connect: %w", err), s.write.Close())
	}
	if err := migrate(ctx, s.write, o.now); err != nil {
		return nil, errors.Join(err, s.write.Close())
	}
	if s.stmts, err = prepareWrites(ctx, s.write); err != nil {
		return nil, errors.Join(err, s.write.Close())
	}
	if s.read, err = sql.Open("sqlite", readDSN); err != nil {
		return nil, errors.Join(err, closeStmts(s.stmts), s.write.Close())
	}
	s.read.SetMaxOpenConns(max(4, runtime.GOMAXPROCS(0)))
	s.read.SetMaxIdleConns(max(4, runtime.GOMAXPROCS(0)))
	if s.latestFingerprint, err = s.read.PrepareContext(ctx, qLatestFingerprint); err != nil {
		return nil, errors.Join(fmt.Errorf("prepare: %w", mapErr(err)), s.read.Close(), closeStmts(s.stmts), s.write.Close())
	}
	if s.enc, s.dec, err = newCodec(); err != nil {
		return nil, errors.Join(err, s.latestFingerprint.Close(), s.read.Close(), closeStmts(s.stmts), s.write.Close())
	}
	return s, nil
}

// connect opens db's first connection. When two processes create the same
// file at once, one can find it locked while the other turns it to WAL
// mode, and SQLite reports that at once, not after the busy timeout (about
// one Open in five of TestTwoStoresOneFile did): so connect retries a busy
// failure itself, until the busy timeout has passed.
func connect(ctx context.Context, db *sql.DB, busyTimeout time.Duration) error {
	deadline := time.Now().Add(busyTimeout)
	for delay := time.Millisecond; ; delay = min(2*delay, 100*time.Millisecond) {
		err := mapErr(db.PingContext(ctx))
		if !errors.Is(err, ErrBusy) || time.Now().After(deadline) {
			return err
		}
		select {
		case <-ctx.Done():
			return ctx.Err()
		case <-time.After(delay):
		}
	}
}

// Close closes the database. The Store must not be used after, and no
// call may be running when it is made.
func (s *Store) Close() error {
	err := errors.Join(s.latestFingerprint.Close(), s.read.Close(), closeStmts(s.stmts), s.write.Close(), s.enc.Close())
	s.dec.Close()
	if err != nil {
		return fmt.Errorf("close archive %s: %w", s.path, mapErr(err))
	}
	return nil
}
