package feeds

import (
	"bytes"
	"encoding/xml"
)

// marshalXML returns v as an indented XML document with a UTF-8
// declaration; sizeHint is the expected length of the output.
func marshalXML(v any, sizeHint int) ([]byte, error) {
	buf := bytes.NewBuffer(make([]byte, 0, sizeHint))
	buf.WriteString(xml.Header)
	enc := xml.NewEncoder(buf)
	enc.Indent("", "  ")
	if err := enc.Encode(v); err != nil {
		return nil, err
	}
	if err := enc.Close(); err != nil {
		return nil, err
	}
	buf.WriteByte('\n')
	return buf.Bytes(), nil
}
