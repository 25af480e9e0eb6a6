package store

import (
	"encoding/binary"
	"errors"
	"fmt"

	"github.com/kabar-news/kabar/extract"
)

// The metadata a feed shows but no query looks at is kept in one BLOB
// column, meta: reading a row costs per column, and a feed reads 50 rows
// of 16 columns instead of 28. The encoding is a list of fields, each a
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
)

func encodeMeta(a *extract.Article) []byte {
	b := make([]byte, 0, 256)
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
	return b
}

var errMeta = errors.New("malformed meta column")

func decodeMeta(b []byte, a *extract.Article) error {
	for len(b) > 0 {
		field, n := binary.Uvarint(b)
		if n <= 0 {
			return errMeta
		}
		b = b[n:]
		size, n := binary.Uvarint(b)
		if n <= 0 || size > uint64(len(b)-n) {
			return errMeta
		}
		s := string(b[n : n+int(size)])
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
		}
	}
	return nil
}
