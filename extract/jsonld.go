package extract

import (
	"encoding/json"
	"strings"
)

// articleTypes are the schema.org types whose JSON-LD describes the article.
var articleTypes = map[string]bool{
	"article": true, "newsarticle": true, "blogposting": true, "reportagenewsarticle": true,
	"analysisnewsarticle": true, "opinionnewsarticle": true, "backgroundnewsarticle": true,
	"reviewnewsarticle": true, "liveblogposting": true, "report": true, "socialmediaposting": true,
	"techarticle": true, "scholarlyarticle": true, "posting": true, "discussionforumposting": true,
	"medicalwebpage": false, "review": true, "videoobject": false,
}

// ldInfo is what the page's JSON-LD says about the article.
type ldInfo struct {
	headline, description, published, modified, image, section, lang string
	siteName, pageDescription, pageImage, pagePublished              string
	authors, editors, keywords                                       []string
}

// parseJSONLD reads every JSON-LD block; article objects (also inside @graph,
// arrays and mainEntity) fill the result, the first one winning per field.
func parseJSONLD(blocks []string) ldInfo {
	var info ldInfo
	for _, raw := range blocks {
		raw = strings.TrimSpace(raw)
		raw = strings.TrimSuffix(strings.TrimPrefix(raw, "<!--"), "-->")
		raw = strings.TrimSuffix(strings.TrimSpace(raw), ";")
		if raw == "" {
			continue
		}
		var v any
		if err := json.Unmarshal([]byte(raw), &v); err != nil {
			continue
		}
		walkLD(v, &info, 0)
	}
	return info
}

func walkLD(v any, info *ldInfo, depth int) {
	if depth > 8 {
		return
	}
	switch x := v.(type) {
	case []any:
		for _, e := range x {
			walkLD(e, info, depth+1)
		}
	case map[string]any:
		types := ldTypes(x["@type"])
		isArticle, isPage, isSite := false, false, false
		for _, t := range types {
			t = strings.ToLower(t)
			isArticle = isArticle || articleTypes[t]
			isPage = isPage || t == "webpage" || t == "itempage" || t == "collectionpage"
			isSite = isSite || t == "website"
		}
		switch {
		case isArticle:
			setFirst(&info.headline, ldString(x["headline"]))
			setFirst(&info.headline, ldString(x["name"]))
			setFirst(&info.description, ldString(x["description"]))
			setFirst(&info.published, ldString(x["datePublished"]))
			setFirst(&info.published, ldString(x["dateCreated"]))
			setFirst(&info.modified, ldString(x["dateModified"]))
			setFirst(&info.image, ldImage(x["image"]))
			setFirst(&info.image, ldImage(x["thumbnailUrl"]))
			setFirst(&info.section, ldString(x["articleSection"]))
			setFirst(&info.lang, ldString(x["inLanguage"]))
			if len(info.authors) == 0 {
				info.authors = ldNames(x["author"])
			}
			if len(info.authors) == 0 {
				info.authors = ldNames(x["creator"])
			}
			if len(info.editors) == 0 {
				info.editors = ldNames(x["editor"])
			}
			if len(info.keywords) == 0 {
				info.keywords = ldKeywords(x["keywords"])
			}
			if p, ok := x["publisher"].(map[string]any); ok {
				setFirst(&info.siteName, ldString(p["name"]))
			}
		case isPage:
			setFirst(&info.pageDescription, ldString(x["description"]))
			setFirst(&info.pageImage, ldImage(x["primaryImageOfPage"]))
			setFirst(&info.pageImage, ldImage(x["image"]))
			setFirst(&info.pagePublished, ldString(x["datePublished"]))
		case isSite:
			setFirst(&info.siteName, ldString(x["name"]))
		}
		if g, ok := x["@graph"]; ok {
			walkLD(g, info, depth+1)
		}
		if m, ok := x["mainEntity"]; ok {
			walkLD(m, info, depth+1)
		}
	}
}

func setFirst(dst *string, v string) {
	if *dst == "" {
		*dst = strings.TrimSpace(v)
	}
}

func ldTypes(v any) []string {
	switch x := v.(type) {
	case string:
		return []string{x}
	case []any:
		var out []string
		for _, e := range x {
			if s, ok := e.(string); ok {
				out = append(out, s)
			}
		}
		return out
	}
	return nil
}

func ldString(v any) string {
	switch x := v.(type) {
	case string:
		return x
	case []any:
		if len(x) > 0 {
			return ldString(x[0])
		}
	case map[string]any:
		if s, ok := x["@value"].(string); ok {
			return s
		}
		if s, ok := x["name"].(string); ok {
			return s
		}
	}
	return ""
}

func ldImage(v any) string {
	switch x := v.(type) {
	case string:
		return x
	case []any:
		for _, e := range x {
			if s := ldImage(e); s != "" {
				return s
			}
		}
	case map[string]any:
		for _, k := range []string{"url", "contentUrl", "@id"} {
			if s, ok := x[k].(string); ok && isAbsHTTP(s) {
				return s
			}
		}
	}
	return ""
}

func ldNames(v any) []string {
	var out []string
	switch x := v.(type) {
	case string:
		if x = strings.TrimSpace(x); x != "" && !isAbsHTTP(x) {
			out = append(out, x)
		}
	case []any:
		for _, e := range x {
			out = append(out, ldNames(e)...)
		}
	case map[string]any:
		if s, ok := x["name"].(string); ok && strings.TrimSpace(s) != "" {
			out = append(out, strings.TrimSpace(s))
		}
	}
	return out
}

func ldKeywords(v any) []string {
	switch x := v.(type) {
	case string:
		return splitList(x)
	case []any:
		var out []string
		for _, e := range x {
			if s, ok := e.(string); ok {
				out = append(out, splitList(s)...)
			}
		}
		return out
	}
	return nil
}

// splitList splits "a, b; c" into trimmed, non-empty items.
func splitList(s string) []string {
	var out []string
	for _, p := range strings.FieldsFunc(s, func(r rune) bool { return r == ',' || r == ';' || r == '|' }) {
		if p = collapse(p); p != "" {
			out = append(out, p)
		}
	}
	return out
}
