package store

import (
	"encoding/binary"
	"errors"
	"fmt"
	"strconv"

	"github.com/kabar-news/kabar/extract"
)

// The metadata a feed shows but no query looks at is kept in one BLOB
// column, meta: reading a row costs per column, and a feed reads 50 rows
// of 9 columns instead of 28. The encoding is a list of fields, each a
// uvarint field number, a uvarint length and the bytes; a list is its field
// repeated. Unknown field numbers are skipped, so fields can be added.
const (
	metaSubtitle = iota + 1
	metaDescription
	metaAuthor
	metaEditor
	metaModified
	metaLeadImage
	metaLanguage
	metaSiteName
	metaSection
	metaTag
	metaNextPage
	metaSinglePage
	metaProfile
	// Copies of columns, so that a feed query reads fewer columns: written
	// together with them by insert and update, never changed alone.
	metaPageURL
	metaPublished
	metaMethod
	metaConfidence
	metaContentHash
	metaFirstSeen
	metaUpdated
)

// encodeMeta encodes a's metadata and the bookkeeping copies.
func encodeMeta(a *extract.Article, contentHash string, firstSeen, updated int64) []byte {
	b := make([]byte, 0, 384)
	put := func(field int, s string) {
		if s == "" {
			return
		}
		b = binary.AppendUvarint(b, uint64(field))
		b = binary.AppendUvarint(b, uint64(len(s)))
		b = append(b, s...)
	}
	putList := func(field int, l []string) {
		for _, s := range l {
			// An empty element must survive: write it even when empty.
			b = binary.AppendUvarint(b, uint64(field))
			b = binary.AppendUvarint(b, uint64(len(s)))
			b = append(b, s...)
		}
	}
	put(metaSubtitle, a.Subtitle)
	put(metaDescription, a.Description)
	putList(metaAuthor, a.Authors)
	put(metaEditor, a.Editor)
	put(metaModified, formatTime(a.Modified))
	put(metaLeadImage, a.LeadImage)
	put(metaLanguage, a.Language)
	put(metaSiteName, a.SiteName)
	put(metaSection, a.Section)
	putList(metaTag, a.Tags)
	put(metaNextPage, a.NextPage)
	put(metaSinglePage, a.SinglePage)
	put(metaProfile, a.Profile)
	put(metaPageURL, a.PageURL)
	put(metaPublished, formatTime(a.Published))
	put(metaMethod, string(a.Method))
	if a.Confidence != 0 {
		put(metaConfidence, strconv.FormatFloat(a.Confidence, 'g', -1, 64))
	}
	put(metaContentHash, contentHash)
	put(metaFirstSeen, strconv.FormatInt(firstSeen, 10))
	put(metaUpdated, strconv.FormatInt(updated, 10))
	return b
}

var errMeta = errors.New("malformed meta column")

// decodeMeta decodes meta into a (its Article and bookkeeping).
func decodeMeta(raw []byte, a *Article) error {
	// One string for the whole blob; the fields are substrings of it.
	b := string(raw)
	for len(b) > 0 {
		field, n := uvarint(b)
		if n <= 0 {
			return errMeta
		}
		b = b[n:]
		size, n := uvarint(b)
		if n <= 0 || size > uint64(len(b)-n) {
			return errMeta
		}
		s := b[n : n+int(size)]
		b = b[n+int(size):]
		switch field {
		case metaSubtitle:
			a.Subtitle = s
		case metaDescription:
			a.Description = s
		case metaAuthor:
			a.Authors = append(a.Authors, s)
		case metaEditor:
			a.Editor = s
		case metaModified:
			t, err := parseTime(s)
			if err != nil {
				return fmt.Errorf("modified: %w", err)
			}
			a.Modified = t
		case metaLeadImage:
			a.LeadImage = s
		case metaLanguage:
			a.Language = s
		case metaSiteName:
			a.SiteName = s
		case metaSection:
			a.Section = s
		case metaTag:
			a.Tags = append(a.Tags, s)
		case metaNextPage:
			a.NextPage = s
		case metaSinglePage:
			a.SinglePage = s
		case metaProfile:
			a.Profile = s
		case metaPageURL:
			a.PageURL = s
		case metaPublished:
			t, err := parseTime(s)
			if err != nil {
				return fmt.Errorf("published: %w", err)
			}
			a.Published = t
		case metaMethod:
			a.Method = extract.Method(s)
		case metaConfidence:
			f, err := strconv.ParseFloat(s, 64)
			if err != nil {
				return fmt.Errorf("confidence: %w", err)
			}
			a.Confidence = f
		case metaContentHash:
			a.ContentHash = s
		case metaFirstSeen, metaUpdated:
			n, err := strconv.ParseInt(s, 10, 64)
			if err != nil {
				return fmt.Errorf("time: %w", err)
			}
			if field == metaFirstSeen {
				a.FirstSeen = fromNanos(n)
			} else {
				a.Updated = fromNanos(n)
			}
		}
	}
	return nil
}

// uvarint is binary.Uvarint for a string.
func uvarint(s string) (uint64, int) {
	var x uint64
	var shift uint
	for i := 0; i < len(s) && i < binary.MaxVarintLen64; i++ {
		c := s[i]
		if c < 0x80 {
			if i == binary.MaxVarintLen64-1 && c > 1 {
				return 0, -(i + 1) // overflow
			}
			return x | uint64(c)<<shift, i + 1
		}
		x |= uint64(c&0x7f) << shift
		shift += 7
	}
	return 0, 0
}
