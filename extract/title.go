package extract

import "strings"

// titleSeparators split "Headline - Site Name" style titles.
var titleSeparators = []string{" | ", " - ", " – ", " — ", " :: ", " » ", " · ", " • ", " / "}

// pickTitle chooses the headline: a visible heading that matches one of the
// declared titles (it has no site suffix), else the first declared title
// with its site-name part removed.
func pickTitle(pi *pageInfo, ld ldInfo, siteName string) string {
	var declared []string
	for _, d := range []string{ld.headline, pi.meta(metaTitle...), pi.title} {
		if d = collapse(d); d != "" {
			declared = append(declared, d)
		}
	}
	for _, d := range declared {
		ld := strings.ToLower(stripSiteName(d, siteName))
		full := strings.ToLower(d)
		for _, h := range pi.heads {
			t := collapse(textOf(h))
			lt := strings.ToLower(t)
			n := runeLen(lt)
			if n < 8 || n > 300 {
				continue
			}
			if lt == ld || lt == full {
				return t
			}
			if (strings.Contains(ld, lt) || strings.Contains(full, lt)) && n*10 >= runeLen(ld)*6 {
				return t
			}
			if strings.Contains(lt, ld) && runeLen(ld)*10 >= n*6 {
				return t
			}
		}
	}
	if len(declared) > 0 {
		return stripSiteName(declared[0], siteName)
	}
	if len(pi.h1s) > 0 {
		return collapse(textOf(pi.h1s[0]))
	}
	return ""
}

func stripSiteName(t, siteName string) string {
	site := strings.ToLower(strings.TrimSpace(siteName))
	for _, sep := range titleSeparators {
		parts := strings.Split(t, sep)
		if len(parts) < 2 {
			continue
		}
		// drop parts equal to the site name, wherever they are
		if site != "" {
			var kept []string
			for _, p := range parts {
				lp := strings.ToLower(strings.TrimSpace(p))
				if lp == site || strings.Contains(site, lp) && runeLen(lp) > 3 || strings.Contains(lp, site) && runeLen(lp) < runeLen(site)+8 {
					continue
				}
				kept = append(kept, p)
			}
			if len(kept) > 0 && len(kept) < len(parts) {
				return strings.TrimSpace(strings.Join(kept, sep))
			}
		}
		// otherwise a short last part is the site name
		last := parts[len(parts)-1]
		head := strings.Join(parts[:len(parts)-1], sep)
		if runeLen(strings.TrimSpace(last)) <= 30 && runeLen(head) >= 2*runeLen(last) {
			return strings.TrimSpace(head)
		}
	}
	return t
}
