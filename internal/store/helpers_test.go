package store

import (
	"context"
	"fmt"
	"math/rand/v2"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/kabar-news/kabar/extract"
)

// clock is a settable test clock.
type clock struct {
	mu  sync.Mutex
	now time.Time
}

func newClock() *clock {
	return &clock{now: time.Date(2026, 3, 10, 8, 0, 0, 0, time.UTC)}
}

func (c *clock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.now
}

func (c *clock) Advance(d time.Duration) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.now = c.now.Add(d)
}

func openTest(t testing.TB, c *clock) *Store {
	t.Helper()
	path := filepath.Join(t.TempDir(), "kabar.db")
	return openAt(t, path, c)
}

func openAt(t testing.TB, path string, c *clock) *Store {
	t.Helper()
	var o Options
	if c != nil {
		o.Now = c.Now
	}
	s, err := OpenWith(context.Background(), path, o)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { s.Close() })
	return s
}

// vocabulary for generated bodies: common Indonesian news words.
var vocabulary = strings.Fields(`pemerintah presiden menteri rakyat jakarta kota provinsi warga
	polisi korupsi anggaran rapat dewan perwakilan daerah partai pemilu kampanye harga beras
	minyak ekonomi inflasi bank rupiah dolar pasar saham investor pabrik pekerja buruh upah
	sekolah guru murid universitas mahasiswa rumah sakit dokter pasien vaksin banjir gempa
	hujan cuaca musim kemarau petani sawah nelayan laut pulau jalan tol kereta bandara
	pesawat penumpang mudik lebaran masjid gereja umat agama budaya seni musik film artis
	sepak bola tim pelatih pemain gol pertandingan liga juara stadion suporter hari ini
	kemarin besok minggu bulan tahun pukul wib menurut kata ujar jelas tambah sebut bahwa
	yang dan di ke dari untuk dengan pada dalam tidak akan sudah telah masih juga atau
	ini itu tersebut karena sehingga namun tetapi oleh sebagai bagi kepada antara setelah`)

// body returns a deterministic pseudo-article of about n bytes: the same
// seed gives the same text, different seeds unrelated ones.
func body(seed uint64, n int) string {
	r := rand.New(rand.NewPCG(seed, seed^0x5eed))
	var sb strings.Builder
	sentence := 0
	for sb.Len() < n {
		w := vocabulary[r.IntN(len(vocabulary))]
		if sentence == 0 {
			w = strings.ToUpper(w[:1]) + w[1:]
		}
		sb.WriteString(w)
		sentence++
		if sentence > 8+r.IntN(10) {
			sb.WriteString(". ")
			sentence = 0
			if r.IntN(5) == 0 {
				sb.WriteString("\n\n")
			}
		} else {
			sb.WriteByte(' ')
		}
	}
	return sb.String()
}

func htmlOf(text string) string {
	paras := strings.Split(text, "\n\n")
	return "<p>" + strings.Join(paras, "</p><p>") + "</p>"
}

// article returns a full article with every field set.
func article(seed uint64, url string) *extract.Article {
	text := body(seed, 3000)
	return &extract.Article{
		URL:         url,
		PageURL:     url + "?utm_source=x",
		Title:       fmt.Sprintf("Judul berita %d", seed),
		Subtitle:    "Sub judul",
		Description: "Ringkasan berita.",
		Authors:     []string{"Andi Wijaya", "Siti Rahma"},
		Editor:      "Budi",
		Published:   time.Date(2026, 3, 10, 7, 30, 0, 0, time.FixedZone("WIB", 7*3600)).Add(time.Duration(seed) * time.Minute),
		Modified:    time.Date(2026, 3, 10, 7, 45, 0, 0, time.FixedZone("WIB", 7*3600)),
		LeadImage:   "https://img.example.id/a.jpg",
		Language:    "id",
		SiteName:    "Contoh",
		Section:     "Nasional",
		Tags:        []string{"Politik", "Pemilu 2029"},
		Text:        text,
		HTML:        htmlOf(text),
		NextPage:    "",
		SinglePage:  url + "?page=all",
		Method:      extract.MethodProfile,
		Profile:     "wordpress",
		Confidence:  0.87,
	}
}

// edit changes every k-th word of text, as an outlet republishing a wire
// story does with its own intro and house style.
func edit(text string, k int) string {
	words := strings.Split(text, " ")
	for i := k / 2; i < len(words); i += k {
		words[i] = "diubah"
	}
	return strings.Join(words, " ")
}

func mustSave(t testing.TB, s *Store, source string, a *extract.Article) SaveResult {
	t.Helper()
	r, err := s.SaveArticle(context.Background(), source, a)
	if err != nil {
		t.Fatal(err)
	}
	return r
}

func mustQuery(t testing.TB, s *Store, q Query) []Article {
	t.Helper()
	as, err := s.Articles(context.Background(), q)
	if err != nil {
		t.Fatal(err)
	}
	return as
}

func urls(as []Article) []string {
	var out []string
	for _, a := range as {
		out = append(out, a.URL)
	}
	return out
}
