package selectors

import (
	"regexp"
	"slices"
	"strings"
	"testing"
	"time"
)

func TestCleanTitle(t *testing.T) {
	inforos := regexp.MustCompile(`\s*/\s*News\s*/\s*News agency Inforos\s*$`)
	tests := []struct {
		name, in, h1 string
		suffixes     []*regexp.Regexp
		sites        []string
		want         string
	}{
		{"profile suffix", "Embassy rejects allegations / News / News agency Inforos", "", []*regexp.Regexp{inforos}, nil, "Embassy rejects allegations"},
		{"breadcrumb chain", "Embassy rejects allegations / News / News agency Inforos", "", nil, []string{"inforos.ru", "inforos"}, "Embassy rejects allegations"},
		{"pipe site", "Stocks rally on rate hopes | Example Times", "", nil, []string{"Example Times"}, "Stocks rally on rate hopes"},
		{"dash host", "Stocks rally on rate hopes - example.com", "", nil, []string{"example.com", "example"}, "Stocks rally on rate hopes"},
		{"site prefix", "Example Times | Stocks rally on rate hopes", "", nil, []string{"Example Times"}, "Stocks rally on rate hopes"},
		{"h1 prefix", "Stocks rally on rate hopes :: Markets :: ET", "Stocks rally on rate hopes", nil, nil, "Stocks rally on rate hopes"},
		{"dash kept", "Spider-Man - the review nobody asked for", "", nil, []string{"Example Times"}, "Spider-Man - the review nobody asked for"},
		{"russian", "В городе открыли новый парк — Пример Новости", "", nil, []string{"Пример Новости"}, "В городе открыли новый парк"},
		{"spaces", "  A \u00a0title\u00ad  ", "", nil, nil, "A title"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := cleanTitle(tt.in, tt.suffixes, tt.sites, tt.h1); got != tt.want {
				t.Errorf("cleanTitle(%q) = %q, want %q", tt.in, got, tt.want)
			}
		})
	}
}

func TestParseDate(t *testing.T) {
	msk := time.FixedZone("", 3*3600)
	tests := []struct {
		in   string
		zone *time.Location
		want string // RFC 3339, "" for none
	}{
		{"2024-05-17T09:30:00-04:00", nil, "2024-05-17T09:30:00-04:00"},
		{"2024-05-17T09:30:00.123Z", nil, "2024-05-17T09:30:00Z"},
		{"2024-05-17T09:30:00+0300", nil, "2024-05-17T09:30:00+03:00"},
		{"2024-05-17", nil, "2024-05-17T00:00:00Z"},
		{"2024-05-17 09:30", msk, "2024-05-17T09:30:00+03:00"},
		{"08.07.2021 18:53", msk, "2021-07-08T18:53:00+03:00"},
		{"Published 08.07.2021", nil, "2021-07-08T00:00:00Z"},
		{"25 ноября 2026, 14:05", msk, "2026-11-25T14:05:00+03:00"},
		{"25 ноября 2026 г. в 14:05", nil, "2026-11-25T14:05:00Z"},
		{"1 марта 2020", nil, "2020-03-01T00:00:00Z"},
		{"Nov 25, 2026", nil, "2026-11-25T00:00:00Z"},
		{"November 25, 2026, 2:05 PM", nil, "2026-11-25T14:05:00Z"},
		{"Updated: Sept. 3rd, 2019 at 12:15 a.m.", nil, "2019-09-03T00:15:00Z"},
		{"25 November 2026 14:05", nil, "2026-11-25T14:05:00Z"},
		{"Mon, 02 Jan 2006 15:04:05 -0700", nil, "2006-01-02T15:04:05-07:00"},
		{"31.02.2021", nil, ""},
		{"0001-01-01T00:00:00Z", nil, ""},
		{"yesterday", nil, ""},
		{"", nil, ""},
	}
	for _, tt := range tests {
		got := parseDate(tt.in, tt.zone)
		s := ""
		if !got.IsZero() {
			s = got.Format(time.RFC3339)
		}
		if s != tt.want {
			t.Errorf("parseDate(%q) = %q, want %q", tt.in, s, tt.want)
		}
	}
}

func TestCleanAuthors(t *testing.T) {
	tests := []struct {
		in   []string
		want []string
	}{
		{[]string{"By Jane Doe"}, []string{"Jane Doe"}},
		{[]string{"By Jane Doe and John Roe, Staff Writers"}, []string{"Jane Doe", "John Roe"}},
		{[]string{"Jane Doe", "jane doe", "John Roe"}, []string{"Jane Doe", "John Roe"}},
		{[]string{"Jane Doe Email the author"}, []string{"Jane Doe"}},
		{[]string{"https://www.facebook.com/janedoe"}, nil},
		{[]string{"Автор: Иван Петров"}, []string{"Иван Петров"}},
		{[]string{"Иван Петров и Мария Сидорова"}, []string{"Иван Петров", "Мария Сидорова"}},
		{[]string{"Jane Doe, Reporter"}, []string{"Jane Doe"}},
		{[]string{"Updated 12:05 PM"}, nil},
	}
	for _, tt := range tests {
		if got := cleanAuthors(tt.in); !slices.Equal(got, tt.want) {
			t.Errorf("cleanAuthors(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
}

func TestBoilerplateText(t *testing.T) {
	for _, s := range []string{
		"Rate it", "Add comment", "Leave a comment", "Комментарии", "Комментарии 12",
		"Сообщите об орфографической ошибке", "Выделенный текст слишком длинный.",
		"Report a typo", "Читайте также:", "Read also", "Related articles", "Advertisement",
		"Share", "Нашли ошибку? Выделите её и нажмите Ctrl+Enter", "3 comments",
	} {
		if !isBoilerplateText(s) {
			t.Errorf("%q is not boilerplate", s)
		}
	}
	for _, s := range []string{
		"The council shared its plans on Thursday.", "Comments from the minister were brief.",
		"Related to that, prices rose.", "Reading also takes time.",
	} {
		if isBoilerplateText(s) {
			t.Errorf("%q is boilerplate", s)
		}
	}
}

func TestNormalize(t *testing.T) {
	got := normalizeParagraph("  Cafe\u0301  with\u00a0soft\u00adhy\u200bphens \n\n second   line ")
	if want := "Café with softhyphens\nsecond line"; got != want {
		t.Errorf("got %q, want %q", got, want)
	}
}

func TestProfileErrors(t *testing.T) {
	tests := []struct {
		name, yaml string
		want       []string // substrings of the error
	}{
		{"invalid selector", "sites:\n  - name: inforos\n    hosts: [inforos.ru]\n    body: 'div['\n", []string{`my.yaml: site "inforos": body: invalid selector "div["`}},
		{"unknown key", "sites:\n  - name: acme\n    hosts: [acme.com]\n    bodyy: p\n", []string{`my.yaml: site "acme": bodyy: unknown field`}},
		{"unknown top key", "site:\n  - name: acme\n", []string{"my.yaml:", "site"}},
		{"invalid regexp", "sites:\n  - name: acme\n    hosts: [acme.com]\n    article_urls: ['(']\n", []string{`site "acme": article_urls: invalid regexp`}},
		{"invalid remove", "sites:\n  - name: acme\n    hosts: [acme.com]\n    remove: ['.ok', 'a[']\n", []string{`site "acme": remove: invalid selector`}},
		{"no hosts", "sites:\n  - name: acme\n", []string{`site "acme": hosts:`}},
		{"bad offset", "sites:\n  - name: acme\n    hosts: [acme.com]\n    utc_offset: Moscow\n", []string{`site "acme": utc_offset:`}},
		{"empty", "", []string{"my.yaml"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			set, err := Builtin()
			if err != nil {
				t.Fatal(err)
			}
			err = set.Add("my.yaml", []byte(tt.yaml))
			if err == nil {
				t.Fatal("no error")
			}
			for _, w := range tt.want {
				if !strings.Contains(err.Error(), w) {
					t.Errorf("error %q lacks %q", err, w)
				}
			}
			if len(set.Profiles()) != 1 {
				t.Errorf("a failed Add changed the set")
			}
		})
	}
}

func TestAddOverrides(t *testing.T) {
	set, err := Builtin()
	if err != nil {
		t.Fatal(err)
	}
	err = set.Add("mine.yaml", []byte("sites:\n  - name: inforos\n    hosts: [inforos.ru]\n  - name: acme\n    hosts: [www.Acme.com]\n    body: article\n"))
	if err != nil {
		t.Fatal(err)
	}
	ps := set.Profiles()
	if len(ps) != 2 || ps[0].Name != "acme" || ps[1].Name != "inforos" || ps[1].Source != "mine.yaml" || ps[0].Hosts[0] != "acme.com" {
		t.Errorf("profiles %+v", ps)
	}
}

func TestTrimParagraphs(t *testing.T) {
	tests := []struct {
		name string
		in   []string
		want []string
	}{
		{"closing calls to action",
			[]string{"The vote is due on Friday.", "Follow The Example Times Opinion section on Twitter and Instagram.", "Email Jane Doe at jdoe@example.com or follow her @janedoe."},
			[]string{"The vote is due on Friday."}},
		{"credits and teasers",
			[]string{"© Reuters", "The vote is due on Friday.", "Read more: Council rejects budget", "Читайте также: Совет отклонил бюджет", "Jane Doe | Getty Images", "It passed."},
			[]string{"The vote is due on Friday.", "It passed."}},
		{"reporting line and separator",
			[]string{"The vote is due on Friday.", "___", "(Reporting by Jane Doe; Editing by John Roe)"},
			[]string{"The vote is due on Friday."}},
		{"cta inside the text stays",
			[]string{"Follow the money, investigators said on Tuesday.", "The vote is due on Friday."},
			[]string{"Follow the money, investigators said on Tuesday.", "The vote is due on Friday."}},
		{"title repeated", []string{"Rain returns", "It rained."}, []string{"It rained."}},
	}
	for _, tt := range tests {
		got := trimParagraphs(append([]string(nil), tt.in...), "Rain returns")
		if !slices.Equal(got, tt.want) {
			t.Errorf("%s: got %q, want %q", tt.name, got, tt.want)
		}
	}
}

func TestCleanAuthorRoles(t *testing.T) {
	tests := []struct {
		in   string
		want []string
	}{
		{"By Jane Doe, Senior Reporter", []string{"Jane Doe"}},
		{"Jane Doe, White House Correspondent", []string{"Jane Doe"}},
		{"Jane Doe Chief Political Correspondent", []string{"Jane Doe"}},
		{"Иван Петров, корреспондент", []string{"Иван Петров"}},
		{"By JANE DOE | Email the author | Follow on Twitter", []string{"JANE DOE"}},
	}
	for _, tt := range tests {
		if got := cleanAuthors([]string{tt.in}); !slices.Equal(got, tt.want) {
			t.Errorf("cleanAuthors(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
}

func TestIsByline(t *testing.T) {
	for _, s := range []string{"By Jane Doe", "By JANE DOE and John Roe", "Текст: Анна Смирнова", "Von Katrin Vogel", "Por Martín Ríos"} {
		if !isByline(s) {
			t.Errorf("%q is not a byline", s)
		}
	}
	for _, s := range []string{"By the end of the year, prices rose.", "By then the council had left", "From Monday the road is closed", "Jane Doe"} {
		if isByline(s) {
			t.Errorf("%q is a byline", s)
		}
	}
}
