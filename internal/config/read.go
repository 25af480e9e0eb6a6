package config

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"regexp"
	"strconv"
	"strings"
	"unicode/utf8"

	"go.yaml.in/yaml/v3"
)

// readYAML parses data into its single document node; nil for an empty file.
func readYAML(data []byte, file string) (root *yaml.Node, probs Problems) {
	defer func() {
		// The YAML library reports errors by panicking internally and
		// recovering; a panic escaping it is a library bug, which must not
		// take the caller down with it.
		if r := recover(); r != nil {
			root, probs = nil, Problems{{File: file, Msg: fmt.Sprintf("cannot parse YAML: %v", r)}}
		}
	}()
	if !utf8.Valid(data) && !hasUTF16BOM(data) {
		return nil, Problems{{File: file, Line: invalidUTF8Line(data), Msg: "file is not valid UTF-8"}}
	}
	dec := yaml.NewDecoder(bytes.NewReader(data))
	var doc yaml.Node
	if err := dec.Decode(&doc); err != nil {
		if errors.Is(err, io.EOF) {
			return nil, nil
		}
		return nil, Problems{syntaxProblem(file, data, err)}
	}
	var next yaml.Node
	switch err := dec.Decode(&next); {
	case errors.Is(err, io.EOF):
	case err != nil:
		return nil, Problems{syntaxProblem(file, data, err)}
	default:
		return nil, Problems{{File: file, Line: next.Line, Msg: "more than one YAML document (a \"---\" line): a config file holds one"}}
	}
	if doc.Kind == yaml.DocumentNode && len(doc.Content) == 1 {
		return doc.Content[0], nil
	}
	return &doc, nil
}

func hasUTF16BOM(b []byte) bool {
	return bytes.HasPrefix(b, []byte{0xFE, 0xFF}) || bytes.HasPrefix(b, []byte{0xFF, 0xFE})
}

func invalidUTF8Line(b []byte) int {
	line := 1
	for len(b) > 0 {
		r, size := utf8.DecodeRune(b)
		if r == utf8.RuneError && size <= 1 {
			return line
		}
		if r == '\n' {
			line++
		}
		b = b[size:]
	}
	return 0
}

var yamlLineRE = regexp.MustCompile(`^yaml: line (\d+): (.*)$`)

// syntaxProblem turns a YAML parse error ("yaml: line 3: mapping values are
// not allowed in this context") into a Problem.
func syntaxProblem(file string, data []byte, err error) Problem {
	msg := err.Error()
	if m := yamlLineRE.FindStringSubmatch(msg); m != nil {
		line, _ := strconv.Atoi(m[1])
		text := m[2]
		if lines := bytes.Split(data, []byte("\n")); line >= 1 && line <= len(lines) {
			indent := lines[line-1][:len(lines[line-1])-len(bytes.TrimLeft(lines[line-1], " \t"))]
			if bytes.IndexByte(indent, '\t') >= 0 {
				text += " (indent with spaces: YAML does not allow tabs)"
			}
		}
		if strings.HasPrefix(text, "did not find expected") {
			// The library reports the line where the enclosing block
			// starts, not the offending one below it.
			text += " (in the block starting on this line: check the indentation of the lines after it)"
		}
		return Problem{File: file, Line: line, Msg: "invalid YAML: " + text}
	}
	return Problem{File: file, Msg: "invalid YAML: " + strings.TrimPrefix(msg, "yaml: ")}
}
