package extract

import (
	"errors"
	"strings"
	"testing"
	"unicode/utf8"

	"golang.org/x/text/encoding/charmap"
	"golang.org/x/text/encoding/unicode"
)

func TestDecode(t *testing.T) {
	latin1 := func(s string) []byte {
		b, err := charmap.Windows1252.NewEncoder().Bytes([]byte(s))
		if err != nil {
			t.Fatal(err)
		}
		return b
	}
	utf16le := func(s string) []byte {
		b, err := unicode.UTF16(unicode.LittleEndian, unicode.UseBOM).NewEncoder().Bytes([]byte(s))
		if err != nil {
			t.Fatal(err)
		}
		return b
	}
	cases := []struct {
		name        string
		in          []byte
		contentType string
		want        string
	}{
		{"utf8 plain", []byte("<p>Café – “kutip”</p>"), "", "<p>Café – “kutip”</p>"},
		{"utf8 bom", append([]byte{0xEF, 0xBB, 0xBF}, "<p>Café</p>"...), "", "<p>Café</p>"},
		{"utf16 bom", utf16le("<p>Café</p>"), "", "<p>Café</p>"},
		{"header charset", latin1("<p>Café</p>"), "text/html; charset=windows-1252", "<p>Café</p>"},
		{"header iso-8859-1 is windows-1252", latin1("<p>“Café”</p>"), "text/html; charset=ISO-8859-1", "<p>“Café”</p>"},
		{"meta charset", latin1(`<meta charset="windows-1252"><p>Café</p>`), "", `<meta charset="windows-1252"><p>Café</p>`},
		{"meta iso-8859-1 is windows-1252", latin1(`<meta http-equiv="Content-Type" content="text/html; charset=iso-8859-1"><p>“Café”</p>`), "",
			`<meta http-equiv="Content-Type" content="text/html; charset=iso-8859-1"><p>“Café”</p>`},
		{"stale meta on valid utf8", []byte(`<meta charset="iso-8859-1"><p>Café “ok”</p>`), "", `<meta charset="iso-8859-1"><p>Café “ok”</p>`},
		{"no declaration, not utf8", latin1("<p>Café</p>"), "", "<p>Café</p>"},
		{"bad header charset ignored", []byte("<p>Café</p>"), "text/html; charset=nonsense", "<p>Café</p>"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			got, err := Decode(c.in, c.contentType)
			if err != nil {
				t.Fatal(err)
			}
			if string(got) != c.want {
				t.Errorf("got %q, want %q", got, c.want)
			}
			if !utf8.Valid(got) {
				t.Error("output is not valid UTF-8")
			}
		})
	}
}

func TestDecodeBinary(t *testing.T) {
	bin := []byte("\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x01\x00\x00\x00\x01\x00\x08\x06\x00\x00\x00")
	if _, err := Decode(bin, ""); !errors.Is(err, ErrBinary) {
		t.Fatalf("err = %v, want ErrBinary", err)
	}
	if _, err := FromReader(strings.NewReader(string(bin)), "", Options{}); !errors.Is(err, ErrBinary) {
		t.Fatalf("FromReader err = %v, want ErrBinary", err)
	}
}

// A page decoded from windows-1252 by FromReader reads right.
func TestFromReaderCharset(t *testing.T) {
	page := `<html><head><meta charset="iso-8859-1"><title>Caf` + "\xe9" + ` news</title></head><body><article><p>` +
		"Le caf\xe9 \x93historique\x94 de la place a rouvert ses portes apr\xe8s deux ans de travaux, au grand plaisir des habitants du quartier." +
		`</p><p>` + longPara + `</p></article></body></html>`
	a, err := FromReader(strings.NewReader(page), "", Options{})
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(a.Text, "Le café “historique” de la place") {
		t.Errorf("text %q", a.Text)
	}
}
