package selectors

import (
	"regexp"
	"strconv"
	"strings"
	"time"
)

// isoLayouts are tried in order on machine-readable dates (JSON-LD, meta,
// <time datetime>).
var isoLayouts = []string{
	time.RFC3339Nano,
	"2006-01-02T15:04:05Z0700",
	"2006-01-02T15:04Z07:00",
	"2006-01-02T15:04Z0700",
	"2006-01-02T15:04:05.999999999",
	"2006-01-02T15:04:05",
	"2006-01-02T15:04",
	"2006-01-02 15:04:05Z07:00",
	"2006-01-02 15:04:05 -0700",
	"2006-01-02 15:04:05 Z07:00",
	"2006-01-02 15:04:05",
	"2006-01-02 15:04",
	"2006-01-02",
	time.RFC1123Z,
	time.RFC1123,
	"Mon, 2 Jan 2006 15:04:05 -0700",
	"Mon, 2 Jan 2006 15:04:05 MST",
	"20060102",
}

// monthNames maps English and Russian month names (nominative, genitive
// and common abbreviations, lower case) to months.
var monthNames = buildMonthNames()

func buildMonthNames() map[string]time.Month {
	names := map[string]time.Month{}
	en := []string{"january", "february", "march", "april", "may", "june", "july", "august", "september", "october", "november", "december"}
	ruGen := []string{"января", "февраля", "марта", "апреля", "мая", "июня", "июля", "августа", "сентября", "октября", "ноября", "декабря"}
	ruNom := []string{"январь", "февраль", "март", "апрель", "май", "июнь", "июль", "август", "сентябрь", "октябрь", "ноябрь", "декабрь"}
	for i := range 12 {
		m := time.Month(i + 1)
		names[en[i]] = m
		names[en[i][:3]] = m
		names[ruGen[i]] = m
		names[ruNom[i]] = m
		names[string([]rune(ruGen[i])[:3])] = m
	}
	names["sept"] = time.September
	return names
}

const monthRe = `([A-Za-zА-Яа-яЁё]{3,9})\.?`
const clockRe = `(?:(?:,|\s+at|\s+в|\s*[-–—|/])?\s*(\d{1,2}):(\d{2})(?::(\d{2}))?\s*([AaPp]\.?[Mm]\.?)?)?`

var (
	// 08.07.2021 18:53, 08/07/2021 (day first, as in Europe and Russia)
	numericDateRe = regexp.MustCompile(`\b(\d{1,2})\.(\d{1,2})\.(\d{4})\b` + clockRe)
	// 25 ноября 2026, 14:05 / 25 November 2026 14:05 / 25 ноября 2026 г. в 14:05
	dayMonthRe = regexp.MustCompile(`(?i)\b(\d{1,2})\s+` + monthRe + `,?\s+(\d{4})(?:\s*г(?:ода|\.)?)?` + clockRe)
	// Nov 25, 2026 / November 25, 2026, 2:05 PM
	monthDayRe  = regexp.MustCompile(`(?i)\b` + monthRe + `\s+(\d{1,2})(?:st|nd|rd|th)?,?\s+(\d{4})` + clockRe)
	isoInTextRe = regexp.MustCompile(`\b(\d{4})-(\d{2})-(\d{2})(?:[T ](\d{2}):(\d{2})(?::(\d{2}))?)?`)
)

// parseDate parses a machine-readable or a visible date. Dates without a
// zone are taken in zone (UTC when nil). The zero time means none found.
func parseDate(s string, zone *time.Location) time.Time {
	s = strings.TrimSpace(s)
	if s == "" || len(s) > 200 {
		return time.Time{}
	}
	if zone == nil {
		zone = time.UTC
	}
	for _, l := range isoLayouts {
		if t, err := time.ParseInLocation(l, s, zone); err == nil {
			return plausible(t)
		}
	}
	return plausible(parseVisibleDate(s, zone))
}

// parseVisibleDate finds a dateline such as "08.07.2021 18:53",
// "25 ноября 2026, 14:05" or "Nov 25, 2026" inside a text.
func parseVisibleDate(s string, zone *time.Location) time.Time {
	if m := numericDateRe.FindStringSubmatch(s); m != nil {
		return build(m[3], month(m[2]), m[1], m[4:], zone)
	}
	if m := dayMonthRe.FindStringSubmatch(s); m != nil {
		if mon, ok := monthNames[strings.ToLower(m[2])]; ok {
			return build(m[3], mon, m[1], m[4:], zone)
		}
	}
	if m := monthDayRe.FindStringSubmatch(s); m != nil {
		if mon, ok := monthNames[strings.ToLower(m[1])]; ok {
			return build(m[3], mon, m[2], m[4:], zone)
		}
	}
	if m := isoInTextRe.FindStringSubmatch(s); m != nil {
		clock := []string{m[4], m[5], m[6], ""}
		return build(m[1], month(m[2]), m[3], clock, zone)
	}
	return time.Time{}
}

func month(s string) time.Month {
	n, _ := strconv.Atoi(s)
	return time.Month(n)
}

// build assembles a date; clock holds hour, minute, second and AM/PM, any
// of them empty.
func build(year string, mon time.Month, day string, clock []string, zone *time.Location) time.Time {
	y, _ := strconv.Atoi(year)
	d, _ := strconv.Atoi(day)
	if mon < 1 || mon > 12 || d < 1 || d > 31 {
		return time.Time{}
	}
	h, _ := strconv.Atoi(clock[0])
	mi, _ := strconv.Atoi(clock[1])
	sec, _ := strconv.Atoi(clock[2])
	switch ampm := strings.ToLower(strings.ReplaceAll(clock[3], ".", "")); {
	case ampm == "pm" && h < 12:
		h += 12
	case ampm == "am" && h == 12:
		h = 0
	}
	if h > 23 || mi > 59 || sec > 59 {
		h, mi, sec = 0, 0, 0
	}
	t := time.Date(y, mon, d, h, mi, sec, 0, zone)
	if t.Day() != d {
		return time.Time{} // 31 February and the like
	}
	return t
}

// plausible drops dates no news page can carry, such as 0001-01-01.
func plausible(t time.Time) time.Time {
	if t.Year() < 1990 || t.Year() > 2100 {
		return time.Time{}
	}
	return t
}
