package dev.switchboard.docs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The rendered site holds together: every page is in the navigation, every internal link and anchor resolves. */
class DocsSiteTest {
    private static final Pattern HREF = Pattern.compile("(?:href|src)=\"([^\"]+)\"");
    private static final Pattern ID = Pattern.compile("id=\"([^\"]+)\"");

    @Test
    void everyPageIsInTheNavigationOnceAndEveryNavigationEntryExists() {
        DocsSite site = Snippets.site();
        List<String> listed = site.navigation().stream().flatMap(s -> s.pages().stream()).map(DocsSite.NavEntry::path).toList();
        assertEquals(listed.size(), new HashSet<>(listed).size(), () -> "listed twice in SUMMARY.md: " + listed);
        List<String> pages = new ArrayList<>(site.pages());
        pages.remove("SUMMARY.md");
        for (String page : pages) {
            assertTrue(listed.contains(page), page + " is not listed in docs/SUMMARY.md");
        }
        for (String entry : listed) {
            assertTrue(pages.contains(entry), "docs/SUMMARY.md lists " + entry + ", which does not exist");
        }
    }

    @Test
    void everyInternalLinkAndAnchorResolves(@TempDir Path out) throws Exception {
        int pages = Snippets.site().render(out);
        assertTrue(pages > 5, "rendered " + pages + " pages");
        List<String> broken = new ArrayList<>();
        int checked = 0;
        try (Stream<Path> walk = Files.walk(out)) {
            for (Path html : (Iterable<Path>) walk.filter(p -> p.toString().endsWith(".html"))::iterator) {
                String text = Files.readString(html);
                Matcher m = HREF.matcher(text);
                while (m.find()) {
                    String href = m.group(1);
                    if (href.contains("://") || href.startsWith("mailto:")) {
                        continue;
                    }
                    checked++;
                    int hash = href.indexOf('#');
                    String path = hash < 0 ? href : href.substring(0, hash);
                    String anchor = hash < 0 ? null : href.substring(hash + 1);
                    Path target = path.isEmpty() ? html : html.getParent().resolve(path).normalize();
                    if (!Files.isRegularFile(target)) {
                        broken.add(out.relativize(html) + ": " + href + " (no such page)");
                    } else if (anchor != null && !ids(target).contains(anchor)) {
                        broken.add(out.relativize(html) + ": " + href + " (no such anchor)");
                    }
                }
            }
        }
        assertTrue(broken.isEmpty(), () -> "broken links:\n" + String.join("\n", broken));
        assertTrue(checked > 50, "checked only " + checked + " links");
    }

    private static Set<String> ids(Path html) throws Exception {
        Set<String> ids = new HashSet<>();
        Matcher m = ID.matcher(Files.readString(html));
        while (m.find()) {
            ids.add(m.group(1));
        }
        return ids;
    }

    @Test
    void markdownLinksBecomeHtmlLinks() {
        assertEquals("guides/x.html#a-b", DocsSite.rewriteLink("guides/x.md#a-b"));
        assertEquals("../index.html", DocsSite.rewriteLink("../README.md"));
        assertEquals("https://example.com/a.md", DocsSite.rewriteLink("https://example.com/a.md"));
        assertEquals("#local", DocsSite.rewriteLink("#local"));
    }
}
