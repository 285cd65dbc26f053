package sqlite

import (
	"encoding/json"
	"slices"
	"testing"
)

// decodeList must read every list as encoding/json does, fast path or not.
func FuzzDecodeList(f *testing.F) {
	for _, s := range []string{
		`[]`, `[""]`, `["Ann Author"]`, `["a","b"]`, `["a]","[b"]`, `["a\"b"]`, `["\u003c&\u003e"]`,
		`["a",]`, `["a""b"]`, `[ "a" ]`, `["a"`, `"a"`, `null`, "[\"\x01\"]", "[\"\xff\"]", `[1]`, ``,
	} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		got, err := decodeList(s)
		var want []string
		wantErr := json.Unmarshal([]byte(s), &want)
		if len(want) == 0 {
			want = nil
		}
		if (err != nil) != (wantErr != nil) || err == nil && (!slices.Equal(got, want) || (got == nil) != (want == nil)) {
			t.Fatalf("decodeList(%q) = %q, %v; encoding/json: %q, %v", s, got, err, want, wantErr)
		}
	})
}
