package sqlite

import (
	"crypto/sha256"
	"encoding/hex"
	"fmt"

	"github.com/klauspost/compress/zstd"
)

func newCodec() (*zstd.Encoder, *zstd.Decoder, error) {
	enc, err := zstd.NewWriter(nil, zstd.WithEncoderLevel(zstd.SpeedFastest))
	if err != nil {
		return nil, nil, fmt.Errorf("zstd encoder: %w", err)
	}
	// The cap limit bounds DecodeAll by the raw size we stored, so a
	// damaged blob cannot inflate without limit.
	dec, err := zstd.NewReader(nil, zstd.WithDecodeAllCapLimit(true), zstd.WithDecoderConcurrency(0))
	if err != nil {
		enc.Close()
		return nil, nil, fmt.Errorf("zstd decoder: %w", err)
	}
	return enc, dec, nil
}

// compress returns body as one zstd frame; an empty body stays empty (and
// non-nil: nil would bind as NULL).
func compress(enc *zstd.Encoder, body []byte) []byte {
	return enc.EncodeAll(body, make([]byte, 0, len(body)/4+64))
}

// decompress reverses compress and checks the result against the size and
// hash recorded with it.
func (s *Store) decompress(z []byte, size int, sum string) ([]byte, error) {
	body := []byte{}
	if len(z) > 0 {
		var err error
		if body, err = s.dec.DecodeAll(z, make([]byte, 0, size)); err != nil {
			return nil, fmt.Errorf("decompress body: %w: %w", ErrCorrupt, err)
		}
	}
	if len(body) != size || sha256Hex(body) != sum {
		return nil, fmt.Errorf("body does not match its recorded size or hash: %w", ErrCorrupt)
	}
	return body, nil
}

func sha256Hex(b []byte) string {
	h := sha256.Sum256(b)
	return hex.EncodeToString(h[:])
}
