package extract

import (
	"fmt"
	"strings"
	"testing"
	"time"
)

func TestParseDate(t *testing.T) {
	now := time.Date(2025, 8, 14, 10, 0, 0, 0, wib)
	at := func(y int, m time.Month, d, hh, mm int, off int) time.Time {
		return time.Date(y, m, d, hh, mm, 0, 0, time.FixedZone("", off*3600))
	}
	cases := []struct {
		in       string
		loc      *time.Location
		want     time.Time
		hasTime  bool
		hasZone  bool
		wantFail bool
	}{
		{in: "Selasa, 12 Agu 2025 14:30 WIB", want: at(2025, 8, 12, 14, 30, 7), hasTime: true, hasZone: true},
		{in: "12 Agt 2025, 09:05 WITA", want: at(2025, 8, 12, 9, 5, 8), hasTime: true, hasZone: true},
		{in: "12 Ags 2025 21:00 WIT", want: at(2025, 8, 12, 21, 0, 9), hasTime: true, hasZone: true},
		{in: "Senin, 3 Peb 2025 | 07.15 WIB", want: at(2025, 2, 3, 7, 15, 7), hasTime: true, hasZone: true},
		{in: "3 Pebruari 2025", loc: wib, want: at(2025, 2, 3, 0, 0, 7)},
		{in: "Jumat, 31 Okt 2025 23:59 WIB", want: at(2025, 10, 31, 23, 59, 7), hasTime: true, hasZone: true},
		{in: "Rabu, 24 Des 2025 08:00 WIB", want: at(2025, 12, 24, 8, 0, 7), hasTime: true, hasZone: true},
		{in: "Kamis, 15 Mei 2025 - 16:45 WIB", want: at(2025, 5, 15, 16, 45, 7), hasTime: true, hasZone: true},
		{in: "Minggu, 17 Agustus 2025", loc: wib, want: at(2025, 8, 17, 0, 0, 7)},
		{in: "12/08/2025 14:30", loc: wib, want: at(2025, 8, 12, 14, 30, 7), hasTime: true},
		{in: "12/08/2025, 21:30 WIB", want: at(2025, 8, 12, 21, 30, 7), hasTime: true, hasZone: true},
		{in: "2025/08/12 21:30:00", loc: wib, want: at(2025, 8, 12, 21, 30, 7), hasTime: true},
		{in: "2025-08-12T14:30:00+07:00", want: at(2025, 8, 12, 14, 30, 7), hasTime: true, hasZone: true},
		{in: "2025-08-12T07:30:00Z", want: at(2025, 8, 12, 7, 30, 0), hasTime: true, hasZone: true},
		{in: "2025-08-12 14:30:00", loc: wib, want: at(2025, 8, 12, 14, 30, 7), hasTime: true},
		{in: "2025-08-12 14:30:00", loc: nil, want: at(2025, 8, 12, 14, 30, 0), hasTime: true},
		{in: "2025-08-12T14:30:00+0700", want: at(2025, 8, 12, 14, 30, 7), hasTime: true, hasZone: true},
		{in: "August 12, 2025 2:30 PM EDT", want: at(2025, 8, 12, 14, 30, -4), hasTime: true, hasZone: true},
		{in: "Aug 12, 2025 at 12:05 am GMT+7", want: at(2025, 8, 12, 0, 5, 7), hasTime: true, hasZone: true},
		{in: "12 August 2025 14:30 UTC", want: at(2025, 8, 12, 14, 30, 0), hasTime: true, hasZone: true},
		{in: "17 menit yang lalu", want: now.Add(-17 * time.Minute), hasTime: true, hasZone: true},
		{in: "2 jam lalu", want: now.Add(-2 * time.Hour), hasTime: true, hasZone: true},
		{in: "3 hours ago", want: now.Add(-3 * time.Hour), hasTime: true, hasZone: true},
		{in: "31 Februari 2025", wantFail: true},
		{in: "Dibaca 1.287 kali", wantFail: true},
		{in: "", wantFail: true},
	}
	for _, c := range cases {
		t.Run(c.in, func(t *testing.T) {
			r, ok := parseDate(c.in, now, c.loc)
			if c.wantFail {
				if ok {
					t.Fatalf("parsed %v, want failure", r.t)
				}
				return
			}
			if !ok {
				t.Fatal("not parsed")
			}
			if !r.t.Equal(c.want) {
				t.Errorf("got %v, want %v", r.t, c.want)
			}
			_, gotOff := r.t.Zone()
			_, wantOff := c.want.Zone()
			if gotOff != wantOff {
				t.Errorf("offset %d, want %d", gotOff, wantOff)
			}
			if r.hasTime != c.hasTime || r.hasZone != c.hasZone {
				t.Errorf("hasTime %v hasZone %v, want %v %v", r.hasTime, r.hasZone, c.hasTime, c.hasZone)
			}
		})
	}
}

// A bare clock time on an Indonesian page is WIB, on another page UTC.
func TestBareTimeZoneBySite(t *testing.T) {
	page := `<html lang="%s"><head><meta property="article:published_time" content="2025-08-12 14:30:00"></head>
<body><article><h1>Judul Berita Contoh Hari Ini</h1><p>` + longPara + `</p><p>` + longPara + `</p></article></body></html>`
	for _, c := range []struct {
		lang string
		off  int
	}{{"id", 7 * 3600}, {"en", 0}} {
		a, err := FromReader(strings.NewReader(fmt.Sprintf(page, c.lang)), "", Options{})
		if err != nil {
			t.Fatal(err)
		}
		if _, off := a.Published.Zone(); off != c.off || a.Published.Hour() != 14 {
			t.Errorf("lang %s: published %v, want 14:30 at offset %d", c.lang, a.Published, c.off)
		}
	}
}

// Relative dates are read against Options.Now.
func TestRelativeDateAgainstNow(t *testing.T) {
	page := `<html lang="id"><body><h1>Judul Berita Contoh Hari Ini</h1><div class="date">17 menit yang lalu</div><article><p>` + longPara + `</p><p>` + longPara + `</p></article></body></html>`
	now := time.Date(2025, 8, 12, 10, 0, 0, 0, wib)
	a, err := FromReader(strings.NewReader(page), "", Options{Now: now})
	if err != nil {
		t.Fatal(err)
	}
	if want := now.Add(-17 * time.Minute); !a.Published.Equal(want) {
		t.Errorf("published %v, want %v", a.Published, want)
	}
}
