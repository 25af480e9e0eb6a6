package extract

import (
	"regexp"
	"strconv"
	"strings"
	"time"
)

// monthNames maps lower-case month names and abbreviations (Indonesian,
// English, Malay and a few German forms) to months.
var monthNames = map[string]time.Month{
	"januari": 1, "january": 1, "jan": 1, "januar": 1, "jänner": 1,
	"februari": 2, "pebruari": 2, "february": 2, "feb": 2, "peb": 2, "februar": 2, "febr": 2,
	"maret": 3, "march": 3, "mar": 3, "mac": 3, "märz": 3, "maerz": 3, "mrt": 3,
	"april": 4, "apr": 4,
	"mei": 5, "may": 5, "mai": 5,
	"juni": 6, "june": 6, "jun": 6,
	"juli": 7, "july": 7, "jul": 7, "julai": 7,
	"agustus": 8, "august": 8, "aug": 8, "agu": 8, "agt": 8, "ags": 8, "ogos": 8, "ogo": 8,
	"september": 9, "sep": 9, "sept": 9,
	"oktober": 10, "october": 10, "okt": 10, "oct": 10,
	"november": 11, "nopember": 11, "nov": 11, "nop": 11,
	"desember": 12, "december": 12, "des": 12, "dec": 12, "dezember": 12, "dis": 12,
}

// zoneOffsets maps time zone abbreviations to their UTC offsets in hours.
var zoneOffsets = map[string]int{
	"wib": 7, "wita": 8, "wit": 9, "utc": 0, "gmt": 0, "z": 0,
	"myt": 8, "sgt": 8, "ict": 7, "cet": 1, "cest": 2, "bst": 1,
	"est": -5, "edt": -4, "cst": -6, "cdt": -5, "mst": -7, "mdt": -6, "pst": -8, "pdt": -7,
}

// relativeUnits maps the words of relative dates ("17 menit yang lalu",
// "2 hours ago") to durations.
var relativeUnits = map[string]time.Duration{
	"detik": time.Second, "second": time.Second, "sec": time.Second,
	"menit": time.Minute, "minute": time.Minute, "min": time.Minute, "mnt": time.Minute,
	"jam": time.Hour, "hour": time.Hour, "hr": time.Hour,
	"hari": 24 * time.Hour, "day": 24 * time.Hour,
	"minggu": 7 * 24 * time.Hour, "pekan": 7 * 24 * time.Hour, "week": 7 * 24 * time.Hour,
	"bulan": 30 * 24 * time.Hour, "month": 30 * 24 * time.Hour,
	"tahun": 365 * 24 * time.Hour, "year": 365 * 24 * time.Hour,
}

var (
	monthAlt = func() string {
		names := make([]string, 0, len(monthNames))
		for k := range monthNames {
			names = append(names, regexp.QuoteMeta(k))
		}
		// longest first so that "agustus" wins over "agu"
		for i := 1; i < len(names); i++ {
			for j := i; j > 0 && len(names[j]) > len(names[j-1]); j-- {
				names[j], names[j-1] = names[j-1], names[j]
			}
		}
		return strings.Join(names, "|")
	}()
	reISODate  = lazyRegexp(`(\d{4})[-/.](\d{1,2})[-/.](\d{1,2})`)
	reDMYDate  = lazyRegexp(`\b(\d{1,2})[-/.](\d{1,2})[-/.](\d{4})\b`)
	reDayMonth = lazyRegexp(`(?i)\b(\d{1,2})(?:st|nd|rd|th)?\.?\s*(?:de\s+)?(` + monthAlt + `)\.?,?\s*(\d{4})\b`)
	reMonthDay = lazyRegexp(`(?i)\b(` + monthAlt + `)\.?\s+(\d{1,2})(?:st|nd|rd|th)?,?\s+(\d{4})\b`)
	reClock    = lazyRegexp(`(?i)^[\s,|\-–—/@T]*(?:pukul|jam|pkl\.?|at|um)?\s*(\d{1,2})[:.](\d{2})(?:[:.](\d{2}))?(?:\.\d+)?\s*(am|pm|a\.m\.|p\.m\.)?`)
	reZone     = lazyRegexp(`(?i)^\s*(?:(z)\b|([+-])(\d{2}):?(\d{2})\b|(?:\(?\s*)(wib|wita|wit|utc|gmt|myt|sgt|ict|cet|cest|bst|est|edt|cst|cdt|mst|mdt|pst|pdt)\b(?:\s*([+-])\s*(\d{1,2})(?::?(\d{2}))?)?)`)
	reRelative = lazyRegexp(`(?i)\b(\d+|se|a|an|one)\s*(detik|menit|mnt|jam|hari|minggu|pekan|bulan|tahun|seconds?|secs?|minutes?|mins?|hours?|hrs?|days?|weeks?|months?|years?)\s+(?:yang\s+)?(?:lalu|ago|lepas)\b`)
)

// dateResult is a parsed date with how much of it the text gave.
type dateResult struct {
	t       time.Time
	hasTime bool // a clock time was given
	hasZone bool // a zone or offset was given
}

// parseDate parses a date in the forms found on news pages: ISO 8601 and
// RFC 3339, dd/mm/yyyy, "Selasa, 12 Agu 2025 14:30 WIB", "August 12, 2025
// 2:30 PM", and relative dates ("17 menit yang lalu") against now. A clock
// time without a zone is read in loc.
func parseDate(s string, now time.Time, loc *time.Location) (dateResult, bool) {
	s = strings.TrimSpace(s)
	if s == "" || len(s) > 400 {
		return dateResult{}, false
	}
	if t, err := time.Parse(time.RFC3339Nano, s); err == nil {
		return dateResult{t: t, hasTime: true, hasZone: true}, true
	}
	if loc == nil {
		loc = time.UTC
	}
	var (
		y, d int
		m    time.Month
		rest string
		ok   bool
	)
	if idx := reISODate().FindStringSubmatchIndex(s); idx != nil {
		y, _ = strconv.Atoi(s[idx[2]:idx[3]])
		mi, _ := strconv.Atoi(s[idx[4]:idx[5]])
		d, _ = strconv.Atoi(s[idx[6]:idx[7]])
		m, rest, ok = time.Month(mi), s[idx[1]:], true
	} else if idx := reDMYDate().FindStringSubmatchIndex(s); idx != nil {
		a, _ := strconv.Atoi(s[idx[2]:idx[3]])
		b, _ := strconv.Atoi(s[idx[4]:idx[5]])
		y, _ = strconv.Atoi(s[idx[6]:idx[7]])
		d, m = a, time.Month(b)
		if b > 12 && a <= 12 { // US order, only when day-first is impossible
			d, m = b, time.Month(a)
		}
		rest, ok = s[idx[1]:], true
	} else if idx := reDayMonth().FindStringSubmatchIndex(s); idx != nil {
		d, _ = strconv.Atoi(s[idx[2]:idx[3]])
		m = monthNames[strings.ToLower(s[idx[4]:idx[5]])]
		y, _ = strconv.Atoi(s[idx[6]:idx[7]])
		rest, ok = s[idx[1]:], true
	} else if idx := reMonthDay().FindStringSubmatchIndex(s); idx != nil {
		m = monthNames[strings.ToLower(s[idx[2]:idx[3]])]
		d, _ = strconv.Atoi(s[idx[4]:idx[5]])
		y, _ = strconv.Atoi(s[idx[6]:idx[7]])
		rest, ok = s[idx[1]:], true
	}
	if !ok {
		return parseRelative(s, now)
	}
	if m < 1 || m > 12 || d < 1 || d > 31 || y < 1990 || y > 2100 {
		return dateResult{}, false
	}
	res := dateResult{}
	hh, mm, ss := 0, 0, 0
	if c := reClock().FindStringSubmatch(rest); c != nil {
		hh, _ = strconv.Atoi(c[1])
		mm, _ = strconv.Atoi(c[2])
		if c[3] != "" {
			ss, _ = strconv.Atoi(c[3])
		}
		switch strings.ToLower(strings.ReplaceAll(c[4], ".", "")) {
		case "pm":
			if hh < 12 {
				hh += 12
			}
		case "am":
			if hh == 12 {
				hh = 0
			}
		}
		if hh > 23 || mm > 59 || ss > 60 {
			hh, mm, ss = 0, 0, 0
		} else {
			res.hasTime = true
			rest = rest[len(c[0]):]
		}
	}
	zone := loc
	if z := reZone().FindStringSubmatch(rest); z != nil && (res.hasTime || z[1] == "") {
		if off, ok := zoneOffset(z); ok {
			zone = time.FixedZone("", off)
			res.hasZone = true
		}
	}
	res.t = time.Date(y, m, d, hh, mm, ss, 0, zone)
	if res.t.Day() != d { // 31 February and friends
		return dateResult{}, false
	}
	return res, true
}

func zoneOffset(z []string) (int, bool) {
	switch {
	case z[1] != "":
		return 0, true
	case z[2] != "":
		h, _ := strconv.Atoi(z[3])
		m, _ := strconv.Atoi(z[4])
		off := h*3600 + m*60
		if z[2] == "-" {
			off = -off
		}
		return off, h <= 14
	case z[5] != "":
		off := zoneOffsets[strings.ToLower(z[5])] * 3600
		if z[6] != "" { // GMT+7, UTC+07:00
			h, _ := strconv.Atoi(z[7])
			m, _ := strconv.Atoi(z[8])
			extra := h*3600 + m*60
			if z[6] == "-" {
				extra = -extra
			}
			off += extra
		}
		return off, true
	}
	return 0, false
}

// parseRelative reads "17 menit yang lalu", "2 hours ago", "kemarin".
func parseRelative(s string, now time.Time) (dateResult, bool) {
	if now.IsZero() {
		return dateResult{}, false
	}
	if c := reRelative().FindStringSubmatch(s); c != nil {
		n := 1
		if v, err := strconv.Atoi(c[1]); err == nil {
			n = v
		}
		unit := strings.ToLower(c[2])
		dur, ok := relativeUnits[unit]
		for !ok && len(unit) > 1 {
			unit = unit[:len(unit)-1] // plural and short forms
			dur, ok = relativeUnits[unit]
		}
		if !ok || n > 10000 {
			return dateResult{}, false
		}
		return dateResult{t: now.Add(-time.Duration(n) * dur), hasTime: dur < 24*time.Hour, hasZone: true}, true
	}
	return dateResult{}, false
}
