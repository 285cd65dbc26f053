package archive

import (
	"strings"
	"testing"
)

const wire = `MOSCOW, July 8. The Russian Embassy in the United States has rejected allegations that Russia was involved in a series of cyberattacks on American companies, the diplomatic mission said on Thursday.

"We have repeatedly stated that Russia does not conduct offensive operations in cyberspace," the embassy wrote in a statement published on its social media pages. The diplomats called on Washington to hand over any evidence through the established channels of bilateral cooperation.

Earlier this week US officials said that a ransomware group believed to operate from Russian territory was responsible for an attack on a software vendor whose products are used by hundreds of businesses. The embassy said it had received no request for assistance on the matter and that Moscow remained open to a professional dialogue on information security.

The statement came days before a scheduled round of consultations between the two countries on international information security, the first such meeting in several years.`

func TestSimHashIdentical(t *testing.T) {
	if d := HammingDistance(SimHash(wire), SimHash(wire)); d != 0 {
		t.Errorf("identical texts: distance %d, want 0", d)
	}
	// Case, punctuation and spacing are not words.
	reflowed := strings.ToUpper(strings.ReplaceAll(wire, "\n\n", "  \n"))
	if d := HammingDistance(SimHash(wire), SimHash(reflowed)); d != 0 {
		t.Errorf("re-flowed, upper-cased text: distance %d, want 0", d)
	}
}

func TestSimHashSmallEdits(t *testing.T) {
	h := SimHash(wire)
	// A wire copy with one word changed links as a near-duplicate.
	word := strings.Replace(wire, "on Thursday", "on Friday", 1)
	if d := HammingDistance(h, SimHash(word)); d == 0 || d > NearDuplicateDistance {
		t.Errorf("one word changed: distance %d, want 1..%d", d, NearDuplicateDistance)
	}
	// A rewritten sentence stays far closer than an unrelated text (about
	// 32), though on a text this short (156 words) it may pass the
	// linking threshold: SimHash is coarse on short texts.
	sentence := strings.Replace(wire, "the diplomatic mission said on Thursday", "the mission said on Thursday evening", 1)
	if d := HammingDistance(h, SimHash(sentence)); d == 0 || d > 2*NearDuplicateDistance {
		t.Errorf("one sentence edited: distance %d, want 1..%d", d, 2*NearDuplicateDistance)
	}
}

func TestSimHashUnrelated(t *testing.T) {
	other := `The city council approved the new budget for public libraries on Tuesday, adding funds for longer opening hours and a mobile library that will visit villages in the north of the region twice a week. Librarians welcomed the decision but warned that the buildings themselves still need repairs. The council will review the plan next spring after a survey of readers.`
	if d := HammingDistance(SimHash(wire), SimHash(other)); d < 16 {
		t.Errorf("unrelated texts: distance %d, want at least 16", d)
	}
}

func TestSimHashShortTexts(t *testing.T) {
	if h := SimHash(" ,.; "); h != 0 {
		t.Errorf("no words: %x, want 0", h)
	}
	if SimHash("two words") == 0 || SimHash("two words") != SimHash("Two, words!") {
		t.Error("a text shorter than a shingle must hash as one shingle, ignoring case and punctuation")
	}
}

func TestSimHashBands(t *testing.T) {
	b := SimHashBands(0x0123456789abcdef)
	if b != [4]uint16{0x0123, 0x4567, 0x89ab, 0xcdef} {
		t.Errorf("bands %x", b)
	}
	// Pigeonhole: any three flipped bits leave one band intact.
	h := SimHash(wire)
	for _, flip := range []uint64{1<<0 | 1<<16 | 1<<32, 1<<15 | 1<<31 | 1<<63, 7} {
		x, y := SimHashBands(h), SimHashBands(h^flip)
		same := 0
		for i := range x {
			if x[i] == y[i] {
				same++
			}
		}
		if same == 0 {
			t.Errorf("flip %x: no band in common", flip)
		}
	}
}
