package extract

import (
	"regexp"
	"strings"
	"unicode"
)

// This file holds the line rules: patterns for whole blocks of text inside
// the body (see rules.go for the patterns), gated by cheap first-word filters.

// lineRule is one line rule: a pattern, the first words a matching line
// can start with (a cheap filter before the pattern), and the longest line
// it applies to.
type lineRule struct {
	re     func() *regexp.Regexp // compiled on first use
	starts map[string]bool
	digits bool // lines starting with a digit are candidates too
	max    int
}

var lineRules = []lineRule{
	{reAdLine, set("advertisement", "advertisment", "advertising", "advert", "adverts", "ad", "ads", "iklan",
		"sponsored", "scroll", "lanjutkan", "continue", "story", "konten", "promoted", "anzeige", "werbung",
		"publicidad", "publicité", "pubblicità", "reklama"), false, 90},
	{reSourceLine, set("artikel", "berita", "tulisan", "gambas", "halaman", "selanjutnya", "sebelumnya",
		"berikutnya", "next", "previous", "load", "page"), true, 300},
	{reCommentLine, set("leave", "post", "tinggalkan", "tulis", "beri", "please", "you", "save", "your", "alamat",
		"comments", "comment", "komentar", "responses", "response", "no", "belum", "log", "login", "cancel",
		"batalkan", "kommentare", "kommentar", "this", "filed", "posted", "sie", "anda", "bitte"), true, 200},
	{reShareLine, set("share", "bagikan", "sebarkan", "follow", "ikuti", "copy", "salin", "tweet", "whatsapp",
		"facebook", "twitter", "telegram", "linkedin", "pinterest", "email", "print", "cetak", "dibaca"), true, 90},
	{reRelatedIntl, set("lea", "lee", "le", "te", "vea", "ver", "lire", "à", "a", "voir", "schon", "mehr", "auch",
		"das", "lesen", "weiterlesen", "leggi", "potrebbe", "czytaj", "zobacz", "leia", "veja"), false, 250},
	{reSubscribeLine, set("subscribe", "to", "jetzt", "zum", "newsletter", "hazte", "suscríbete", "abonnez",
		"inscrivez", "sign", "berlangganan", "langganan"), false, 250},
	{rePromptLine, set("mit", "artikel", "beitrag", "jetzt", "teilen", "be", "share", "rezept", "print", "war",
		"wie", "möchten", "was", "rate", "you", "vous", "mehr", "das", "zum", "weitere", "ähnliche", "te", "berita",
		"populer", "terpopuler", "terbaru", "most", "trending", "gefällt", "wir", "we", "more", "lebih"), false, 80},
	{reSupportLine, set("unterstütze", "unterstützen", "support", "please", "donate", "spenden", "jetzt", "if",
		"dukung", "zurück", "back", "kembali", "do", "want", "stay", "never"), false, 220},
	{reLabelLine, set("kontakt", "contact", "kontak", "weitere", "mehr", "more", "further", "zusatzinformationen",
		"quellen", "quellenangaben", "źródło", "fuente", "informasi", "themen", "topics", "kategorie",
		"category", "erschienen", "permalink", "permalien", "schlagworte", "schlagwörter", "tags", "kategorien",
		"categories", "kategori", "topik", "label", "labels", "rubrik"), false, 120},
	{reCaptionLine, set("foto", "fotos", "photo", "photos", "image", "gambar", "ilustrasi", "dok", "dokumentasi",
		"credit", "kredit", "sumber", "source", "getty", "reuters", "antara", "bild", "bildquelle", "quelle",
		"titelbild", "symbolbild", "beitragsbild", "headerbild", "abbildung", "abb", "figure", "fig", "grafik",
		"fuente"), false, 200},
}

var relatedStarts = set("baca", "lihat", "simak", "tonton", "cek", "saksikan", "klik", "dengarkan", "read", "see",
	"watch", "also", "related", "recommended", "more", "berita", "artikel", "topik")

var bylineStarts = set("penulis", "editor", "reporter", "pewarta", "redaktur", "kontributor", "wartawan", "laporan",
	"writer", "written", "oleh", "by", "editing", "reporting", "penyunting", "fotografer", "foto", "videografer")

// lineIsBoilerplate applies the line rules to one block of text; ld is its
// link density. Long blocks are prose: only the related-links rule looks at
// them, and only when they are mostly links.
func (c *cleaner) lineIsBoilerplate(t string, ld float64) bool {
	l := runeLen(t)
	lt := strings.ToLower(t)
	fw := firstWord(lt)
	digit := fw != "" && fw[0] >= '0' && fw[0] <= '9'
	if relatedStarts[fw] && (l < 250 || ld > 0.3) && reRelatedLine().MatchString(t) {
		return true
	}
	if l > 300 {
		return false
	}
	for _, r := range lineRules {
		if l <= r.max && (r.starts[fw] || r.digits && digit) && r.re().MatchString(t) {
			return true
		}
	}
	if l < 220 && (promoStarts[fw] || strings.Contains(lt, "whatsapp") || strings.Contains(lt, "telegram")) && rePromoLine().MatchString(t) {
		return true
	}
	if l < 200 && (strings.Contains(t, "©") || strings.Contains(lt, "copyright") || strings.Contains(lt, "rights") ||
		strings.Contains(lt, "rechte") || strings.Contains(lt, "hak cipta") || strings.Contains(lt, "derechos") ||
		strings.Contains(lt, "droits") || strings.Contains(lt, "(c)")) && reCopyrightLine().MatchString(t) {
		return true
	}
	if l < 40 && strings.IndexByte(t, '/') >= 0 && reOnlyInitials().MatchString(t) { // "(ant/abc)": needs a slash
		return true
	}
	if l < 160 && bylineStarts[fw] && reBylineLine().MatchString(t) {
		if b, ok := parseByline(t); ok {
			if c.a != nil {
				setByline(c.a, b)
			}
			return true
		}
	}
	if l < 100 && c.a != nil && c.isAuthorLine(lt) {
		return true
	}
	if l < 70 && strings.ContainsAny(t, "0123456789") && dateOnlyText(t) && reDateish().MatchString(t) {
		if r, ok := parseDate(t, c.now, c.loc); ok && !r.t.IsZero() {
			return true
		}
	}
	return false
}

// firstWord returns the first run of letters of s, skipping leading
// punctuation and spaces.
func firstWord(s string) string {
	start := -1
	for i, r := range s {
		letter := unicode.IsLetter(r) || unicode.IsDigit(r)
		if start < 0 {
			if letter {
				start = i
			} else if i > 8 {
				return ""
			}
			continue
		}
		if !letter {
			return s[start:i]
		}
	}
	if start < 0 {
		return ""
	}
	return s[start:]
}

// isAuthorLine reports whether a short line is the byline of a known author:
// "Rina Anggraeni - beritaContoh", "Rina Anggraeni | 12 Agu 2025".
func (c *cleaner) isAuthorLine(lt string) bool {
	for _, name := range c.a.Authors {
		ln := strings.ToLower(name)
		if ln == "" || !strings.HasPrefix(lt, ln) {
			continue
		}
		rest := strings.TrimSpace(lt[len(ln):])
		if rest == "" {
			return true
		}
		if runeLen(rest) <= 40 && strings.ContainsAny(rest[:1], "-–—|,/(") {
			return true
		}
	}
	return false
}

// promoStarts are the verbs promo lines open with; with "whatsapp" and
// "telegram" anywhere in a line, a cheap filter before rePromoLine().
var promoStarts = set("ikuti", "follow", "gabung", "bergabung", "join", "dapatkan", "simak", "subscribe",
	"berlangganan", "download", "unduh", "install", "klik", "cek", "pantau", "mari", "yuk", "jangan", "get")
