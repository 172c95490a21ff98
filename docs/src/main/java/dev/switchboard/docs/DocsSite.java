package dev.switchboard.docs;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;
import org.commonmark.Extension;
import org.commonmark.ext.gfm.tables.TablesExtension;
import org.commonmark.ext.heading.anchor.HeadingAnchorExtension;
import org.commonmark.ext.heading.anchor.IdGenerator;
import org.commonmark.node.AbstractVisitor;
import org.commonmark.node.BulletList;
import org.commonmark.node.Heading;
import org.commonmark.node.Link;
import org.commonmark.node.Node;
import org.commonmark.parser.Parser;
import org.commonmark.renderer.html.HtmlRenderer;

/**
 * Renders the Markdown under {@code docs/} into a static site with commonmark-java: GFM tables,
 * heading anchors, a table of contents per page, navigation from {@code SUMMARY.md} (its order,
 * its sections) with previous/next links. Links between pages are written to {@code .md} files, so
 * they also work on GitHub; the site rewrites them to {@code .html}. Images and SVG diagrams are
 * copied as they are.
 *
 * <pre>java dev.switchboard.docs.DocsSite docs docs/target/site</pre>
 */
public final class DocsSite {
    private static final List<Extension> EXTENSIONS = List.of(TablesExtension.create(), HeadingAnchorExtension.create());
    private static final Set<String> SKIP_DIRS = Set.of("target", "src", "node_modules", ".git");

    /** A section of the navigation and its pages, in order. */
    public record Section(String title, List<NavEntry> pages) {
    }

    /** One page of the navigation: its title and its path relative to the docs directory. */
    public record NavEntry(String title, String path) {
    }

    /** A heading of a page: level, text and the anchor id it renders with. */
    public record Anchor(int level, String text, String id) {
    }

    private final Path docs;
    private final Parser parser = Parser.builder().extensions(EXTENSIONS).build();

    public DocsSite(Path docs) {
        this.docs = docs.toAbsolutePath().normalize();
    }

    public static void main(String[] args) throws IOException {
        if (args.length != 2) {
            System.err.println("usage: DocsSite DOCS_DIR OUT_DIR");
            System.exit(2);
        }
        Path out = Path.of(args[1]);
        int pages = new DocsSite(Path.of(args[0])).render(out);
        System.out.println("docs: rendered " + pages + " pages into " + out + "/index.html");
    }

    /** Every Markdown page under the docs directory, relative paths with '/' separators. */
    public List<String> pages() {
        try (Stream<Path> walk = Files.walk(docs)) {
            return walk.filter(p -> !skipped(p)).filter(p -> p.toString().endsWith(".md"))
                    .map(p -> docs.relativize(p).toString().replace('\\', '/')).sorted().toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private boolean skipped(Path p) {
        Path rel = docs.relativize(p);
        return rel.getNameCount() > 0 && SKIP_DIRS.contains(rel.getName(0).toString());
    }

    public String markdown(String page) {
        try {
            return Files.readString(docs.resolve(page));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public Node parse(String page) {
        return parser.parse(markdown(page));
    }

    /** The navigation: {@code ## Section} headings of SUMMARY.md and the links listed under each. */
    public List<Section> navigation() {
        Node summary = parse("SUMMARY.md");
        List<Section> sections = new ArrayList<>();
        String[] title = {"Switchboard"};
        List<NavEntry>[] current = new List[] {new ArrayList<>()};
        for (Node n = summary.getFirstChild(); n != null; n = n.getNext()) {
            if (n instanceof Heading h && h.getLevel() >= 2) {
                if (!current[0].isEmpty()) {
                    sections.add(new Section(title[0], current[0]));
                }
                title[0] = text(h);
                current[0] = new ArrayList<>();
            } else if (n instanceof BulletList) {
                n.accept(new AbstractVisitor() {
                    @Override
                    public void visit(Link link) {
                        current[0].add(new NavEntry(text(link), link.getDestination()));
                    }
                });
            }
        }
        if (!current[0].isEmpty()) {
            sections.add(new Section(title[0], current[0]));
        }
        return sections;
    }

    /** The headings of a page with the ids the renderer gives them. */
    public List<Anchor> anchors(String page) {
        IdGenerator ids = IdGenerator.builder().build();
        List<Anchor> out = new ArrayList<>();
        parse(page).accept(new AbstractVisitor() {
            @Override
            public void visit(Heading heading) {
                String t = text(heading);
                out.add(new Anchor(heading.getLevel(), t, ids.generateId(t)));
            }
        });
        return out;
    }

    /** The plain text of a node's children (a heading's or a link's words, code spans included). */
    static String text(Node node) {
        StringBuilder out = new StringBuilder();
        node.accept(new AbstractVisitor() {
            @Override
            public void visit(org.commonmark.node.Text text) {
                out.append(text.getLiteral());
            }

            @Override
            public void visit(org.commonmark.node.Code code) {
                out.append(code.getLiteral());
            }

            @Override
            public void visit(org.commonmark.node.SoftLineBreak lineBreak) {
                out.append(' ');
            }
        });
        return out.toString().trim();
    }

    /** Renders every page; returns how many. */
    public int render(Path out) throws IOException {
        Files.createDirectories(out);
        List<Section> nav = navigation();
        List<NavEntry> order = nav.stream().flatMap(s -> s.pages().stream()).toList();
        String template = resource("template.html");
        Files.writeString(out.resolve("style.css"), resource("style.css"));
        int count = 0;
        for (String page : pages()) {
            if (page.equals("SUMMARY.md")) {
                continue;
            }
            String html = renderPage(page, template, nav, order);
            Path target = out.resolve(htmlPath(page));
            Files.createDirectories(target.getParent());
            Files.writeString(target, html);
            count++;
        }
        copyAssets(out);
        return count;
    }

    private String renderPage(String page, String template, List<Section> nav, List<NavEntry> order) {
        Node document = parse(page);
        HtmlRenderer renderer = HtmlRenderer.builder().extensions(EXTENSIONS)
                .attributeProviderFactory(ctx -> (node, tagName, attributes) -> {
                    if (node instanceof Link && attributes.containsKey("href")) {
                        attributes.put("href", rewriteLink(attributes.get("href")));
                    }
                }).build();
        String body = renderer.render(document);
        List<Anchor> anchors = anchors(page);
        String title = anchors.stream().filter(a -> a.level() == 1).map(Anchor::text).findFirst().orElse(page);
        String root = "../".repeat(page.split("/").length - 1);
        StringBuilder toc = new StringBuilder();
        for (Anchor a : anchors) {
            if (a.level() == 2 || a.level() == 3) {
                toc.append("<li class=\"toc-").append(a.level()).append("\"><a href=\"#").append(a.id()).append("\">")
                        .append(escape(a.text())).append("</a></li>\n");
            }
        }
        StringBuilder sidebar = new StringBuilder();
        for (Section s : nav) {
            sidebar.append("<h2>").append(escape(s.title())).append("</h2>\n<ul>\n");
            for (NavEntry e : s.pages()) {
                sidebar.append("<li").append(e.path().equals(page) ? " class=\"current\"" : "").append("><a href=\"")
                        .append(root).append(htmlPath(e.path())).append("\">").append(escape(e.title())).append("</a></li>\n");
            }
            sidebar.append("</ul>\n");
        }
        StringBuilder pager = new StringBuilder();
        int at = -1;
        for (int i = 0; i < order.size(); i++) {
            if (order.get(i).path().equals(page)) {
                at = i;
            }
        }
        if (at > 0) {
            NavEntry prev = order.get(at - 1);
            pager.append("<a class=\"prev\" href=\"").append(root).append(htmlPath(prev.path())).append("\">&larr; ")
                    .append(escape(prev.title())).append("</a>");
        }
        if (at >= 0 && at < order.size() - 1) {
            NavEntry next = order.get(at + 1);
            pager.append("<a class=\"next\" href=\"").append(root).append(htmlPath(next.path())).append("\">")
                    .append(escape(next.title())).append(" &rarr;</a>");
        }
        Map<String, String> values = new LinkedHashMap<>();
        values.put("{{title}}", escape(title));
        values.put("{{root}}", root);
        values.put("{{sidebar}}", sidebar.toString());
        values.put("{{toc}}", toc.toString());
        values.put("{{body}}", body);
        values.put("{{pager}}", pager.toString());
        values.put("{{source}}", escape(page));
        String html = template;
        for (Map.Entry<String, String> e : values.entrySet()) {
            html = html.replace(e.getKey(), e.getValue());
        }
        return html;
    }

    /** {@code page.md#x} → {@code page.html#x}; external links and anchors stay. */
    static String rewriteLink(String href) {
        if (href.contains("://") || href.startsWith("mailto:") || href.startsWith("#")) {
            return href;
        }
        int hash = href.indexOf('#');
        String path = hash < 0 ? href : href.substring(0, hash);
        String anchor = hash < 0 ? "" : href.substring(hash);
        if (path.endsWith(".md")) {
            path = htmlPath(path);
        }
        return path + anchor;
    }

    /** {@code guides/x.md} → {@code guides/x.html}; {@code README.md} and {@code index.md} become {@code index.html}. */
    public static String htmlPath(String mdPath) {
        String p = mdPath;
        String name = p.contains("/") ? p.substring(p.lastIndexOf('/') + 1) : p;
        if (name.toLowerCase(Locale.ROOT).equals("readme.md")) {
            p = p.substring(0, p.length() - name.length()) + "index.md";
        }
        return p.substring(0, p.length() - 3) + ".html";
    }

    private void copyAssets(Path out) throws IOException {
        try (Stream<Path> walk = Files.walk(docs)) {
            for (Path p : (Iterable<Path>) walk.filter(Files::isRegularFile).filter(x -> !skipped(x))::iterator) {
                String name = p.getFileName().toString().toLowerCase(Locale.ROOT);
                if (name.endsWith(".svg") || name.endsWith(".png") || name.endsWith(".jpg")) {
                    Path target = out.resolve(docs.relativize(p).toString());
                    Files.createDirectories(target.getParent());
                    Files.copy(p, target, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
                }
            }
        }
    }

    private static String resource(String name) throws IOException {
        try (InputStream in = DocsSite.class.getResourceAsStream(name)) {
            if (in == null) {
                throw new IOException("missing resource " + name);
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }

    static String escape(String s) {
        return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\"", "&quot;");
    }

}
