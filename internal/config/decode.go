package config

import (
	"fmt"
	"reflect"
	"slices"
	"strconv"
	"strings"
	"unicode/utf8"

	"go.yaml.in/yaml/v3"
)

// maxVisits bounds the nodes one decode visits (a large config has a few
// thousand), so that a small file cannot expand into an enormous one
// through nested aliases or merge keys.
const maxVisits = 100_000

// decoder decodes a YAML node tree into a Go value strictly: every key must
// name a field, every value must fit its field. Unlike yaml.v3's own strict
// mode it keeps going after a problem, reports each one with its field path,
// and records the line of every field for Validate's messages.
type decoder struct {
	file   string
	lines  map[string]int  // field path → line
	failed map[string]bool // field paths whose value could not be decoded
	probs  Problems
	visits int
	// merging holds the mappings whose merge keys are being expanded, to
	// catch a mapping that merges itself.
	merging map[*yaml.Node]bool
}

// visit counts one node against maxVisits; false once the budget is spent
// (reported once).
func (d *decoder) visit(n *yaml.Node, path string) bool {
	d.visits++
	if d.visits == maxVisits {
		d.problem(n.Line, path, "document too large (too many nodes after expanding aliases)")
	}
	return d.visits < maxVisits
}

func (d *decoder) problem(line int, path, format string, args ...any) {
	if d.failed != nil {
		d.failed[path] = true
	}
	d.probs = append(d.probs, Problem{File: d.file, Line: line, Path: path, Msg: fmt.Sprintf(format, args...)})
}

var (
	unmarshalerType = reflect.TypeFor[yaml.Unmarshaler]()
	sourceType      = reflect.TypeFor[Source]()
)

// value decodes n into v, whose field path is path.
func (d *decoder) value(n *yaml.Node, v reflect.Value, path string) {
	if !d.visit(n, path) {
		return
	}
	for depth := 0; n.Kind == yaml.AliasNode; depth++ {
		if n.Alias == nil || depth > 100 {
			d.problem(n.Line, path, "unresolvable alias *%s", n.Value)
			return
		}
		n = n.Alias
	}
	if n.Kind == yaml.ScalarNode && n.ShortTag() == "!!null" {
		return // an empty value keeps the default
	}
	if v.CanAddr() && v.Addr().Type().Implements(unmarshalerType) {
		if err := v.Addr().Interface().(yaml.Unmarshaler).UnmarshalYAML(n); err != nil {
			d.problem(n.Line, path, "%s", err)
		}
		return
	}
	switch v.Kind() {
	case reflect.Struct:
		d.mapping(n, v, path)
	case reflect.Slice:
		d.sequence(n, v, path)
	case reflect.Pointer:
		if v.IsNil() {
			v.Set(reflect.New(v.Type().Elem()))
		}
		d.value(n, v.Elem(), path)
	case reflect.String:
		if n.Kind != yaml.ScalarNode {
			d.problem(n.Line, path, "expected a string, got %s", describe(n))
			return
		}
		v.SetString(n.Value)
	case reflect.Bool:
		var b bool
		if n.Kind != yaml.ScalarNode || n.Decode(&b) != nil {
			d.problem(n.Line, path, "expected true or false, got %s", describe(n))
			return
		}
		v.SetBool(b)
	case reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64:
		var i int64
		if n.Kind != yaml.ScalarNode || n.Decode(&i) != nil {
			d.problem(n.Line, path, "expected a whole number, got %s", describe(n))
			return
		}
		if v.OverflowInt(i) {
			d.problem(n.Line, path, "number %s is out of range", n.Value)
			return
		}
		v.SetInt(i)
	default:
		if err := n.Decode(v.Addr().Interface()); err != nil {
			d.problem(n.Line, path, "cannot decode %s", describe(n))
		}
	}
}

// sequence decodes a list; it replaces any default list rather than
// appending to it.
func (d *decoder) sequence(n *yaml.Node, v reflect.Value, path string) {
	if n.Kind != yaml.SequenceNode {
		hint := ""
		if n.Kind == yaml.ScalarNode {
			hint = fmt.Sprintf(" (write [%s], or one \"- \" item per line)", n.Value)
		}
		d.problem(n.Line, path, "expected a list, got %s%s", describe(n), hint)
		return
	}
	s := reflect.MakeSlice(v.Type(), len(n.Content), len(n.Content))
	for i, item := range n.Content {
		p := fmt.Sprintf("%s[%d]", path, i)
		d.lines[p] = item.Line
		e := s.Index(i)
		if v.Type().Elem() == sourceType {
			src := DefaultSource()
			src.Line = item.Line
			e.Set(reflect.ValueOf(src))
		}
		d.value(item, e, p)
	}
	v.Set(s)
}

// pair is one key and value of a mapping, after merge keys are expanded.
type pair struct{ key, value *yaml.Node }

// mapping decodes a mapping into the struct v.
func (d *decoder) mapping(n *yaml.Node, v reflect.Value, path string) {
	if n.Kind != yaml.MappingNode {
		d.problem(n.Line, path, "expected a mapping of keys to values, got %s", describe(n))
		return
	}
	fields := yamlFields(v.Type())
	for _, p := range d.pairs(n, path, 0) {
		name := p.key.Value
		fpath := joinPath(path, name)
		idx, ok := fields[name]
		if p.key.Kind != yaml.ScalarNode || !ok {
			d.problem(p.key.Line, fpath, "unknown key%s", suggest(name, fields))
			continue
		}
		d.lines[fpath] = p.key.Line
		d.value(p.value, v.Field(idx), fpath)
	}
}

// pairs returns the key/value pairs of the mapping n with YAML merge keys
// ("<<: *defaults") expanded: explicit keys win over merged ones, and of
// merged mappings the earlier wins. Duplicate explicit keys are problems.
func (d *decoder) pairs(n *yaml.Node, path string, depth int) []pair {
	if d.merging[n] {
		d.problem(n.Line, path, "a merge key (<<) includes the mapping it is in")
		return nil
	}
	if d.merging == nil {
		d.merging = map[*yaml.Node]bool{}
	}
	d.merging[n] = true
	defer delete(d.merging, n)
	var out, merged []pair
	seen := map[string]int{}
	for i := 0; i+1 < len(n.Content); i += 2 {
		k, val := n.Content[i], n.Content[i+1]
		if !d.visit(k, path) {
			return nil
		}
		if k.Kind == yaml.ScalarNode && k.Value == "<<" && k.ShortTag() == "!!merge" {
			merged = append(merged, d.merge(val, path, depth)...)
			continue
		}
		if k.Kind == yaml.ScalarNode {
			if first, dup := seen[k.Value]; dup {
				d.problem(k.Line, joinPath(path, k.Value), "duplicate key (first set on line %d)", first)
				continue
			}
			seen[k.Value] = k.Line
		}
		out = append(out, pair{k, val})
	}
	for _, p := range merged {
		if _, dup := seen[p.key.Value]; dup {
			continue
		}
		seen[p.key.Value] = p.key.Line
		out = append(out, p)
	}
	return out
}

// merge returns the pairs a merge key's value brings in: one mapping (often
// an alias) or a list of them.
func (d *decoder) merge(n *yaml.Node, path string, depth int) []pair {
	if depth > 20 {
		d.problem(n.Line, path, "merge keys nested too deeply")
		return nil
	}
	for i := 0; n.Kind == yaml.AliasNode && n.Alias != nil && i < 100; i++ {
		n = n.Alias
	}
	if !d.visit(n, path) {
		return nil
	}
	switch n.Kind {
	case yaml.MappingNode:
		return d.pairs(n, path, depth+1)
	case yaml.SequenceNode:
		var out []pair
		for _, item := range n.Content {
			out = append(out, d.merge(item, path, depth+1)...)
		}
		return out
	}
	d.problem(n.Line, path, "a merge key (<<) needs a mapping or a list of mappings, got %s", describe(n))
	return nil
}

func joinPath(path, key string) string {
	if path == "" {
		return key
	}
	return path + "." + key
}

// yamlFields maps the YAML keys of struct type t to field indexes.
func yamlFields(t reflect.Type) map[string]int {
	m := make(map[string]int, t.NumField())
	for i := range t.NumField() {
		f := t.Field(i)
		if !f.IsExported() {
			continue
		}
		name, _, _ := strings.Cut(f.Tag.Get("yaml"), ",")
		if name == "-" {
			continue
		}
		if name == "" {
			name = strings.ToLower(f.Name)
		}
		m[name] = i
	}
	return m
}

// suggest names the known key closest to an unknown one, or lists them all.
func suggest(name string, fields map[string]int) string {
	known := make([]string, 0, len(fields))
	for k := range fields {
		known = append(known, k)
	}
	slices.Sort(known)
	norm := func(s string) string {
		return strings.NewReplacer("_", "", "-", "", " ", "").Replace(strings.ToLower(s))
	}
	best, bestDist := "", 3
	for _, k := range known {
		if norm(k) == norm(name) {
			return fmt.Sprintf(" (did you mean %q?)", k)
		}
		if dist := levenshtein(name, k); dist < bestDist {
			best, bestDist = k, dist
		}
	}
	if best != "" {
		return fmt.Sprintf(" (did you mean %q?)", best)
	}
	return " (known keys: " + strings.Join(known, ", ") + ")"
}

// levenshtein is the edit distance between a and b, by bytes; it is used
// only on short key names.
func levenshtein(a, b string) int {
	if len(a) > 64 || len(b) > 64 {
		return 64
	}
	prev := make([]int, len(b)+1)
	cur := make([]int, len(b)+1)
	for j := range prev {
		prev[j] = j
	}
	for i := 1; i <= len(a); i++ {
		cur[0] = i
		for j := 1; j <= len(b); j++ {
			cost := 1
			if a[i-1] == b[j-1] {
				cost = 0
			}
			cur[j] = min(prev[j]+1, cur[j-1]+1, prev[j-1]+cost)
		}
		prev, cur = cur, prev
	}
	return prev[len(b)]
}

// describe names what a node holds, for "expected X, got Y" messages.
func describe(n *yaml.Node) string {
	switch n.Kind {
	case yaml.MappingNode:
		return "a mapping"
	case yaml.SequenceNode:
		return "a list"
	case yaml.AliasNode:
		return "an alias"
	case yaml.DocumentNode:
		return "a document"
	}
	v := n.Value
	if utf8.RuneCountInString(v) > 40 {
		v = string([]rune(v)[:40]) + "…"
	}
	return strconv.Quote(v)
}
