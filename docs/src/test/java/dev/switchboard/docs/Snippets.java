package dev.switchboard.docs;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.commonmark.node.AbstractVisitor;
import org.commonmark.node.FencedCodeBlock;

/** The fenced code blocks of the docs, with the page and line they are on. */
final class Snippets {

    /**
     * A fenced block; {@code expectsMistake} when an HTML comment {@code <!-- expect-warning: ... -->}
     * or {@code <!-- expect-error: ... -->} stands right before it: an example of a mistake, shown on
     * purpose (the proxy module's DockerDocsTest checks that it gives that warning).
     */
    record Snippet(String page, int line, String language, String code, boolean expectsMistake) {
        @Override
        public String toString() {
            return page + ":" + line + " (" + language + ")";
        }
    }

    static final Path DOCS = Path.of(System.getProperty("docs.dir", ".")).toAbsolutePath().normalize();

    static DocsSite site() {
        return new DocsSite(DOCS);
    }

    static List<Snippet> all() {
        DocsSite site = site();
        List<Snippet> out = new ArrayList<>();
        for (String page : site.pages()) {
            String markdown = site.markdown(page);
            site.parse(page).accept(new AbstractVisitor() {
                @Override
                public void visit(FencedCodeBlock block) {
                    String info = block.getInfo() == null ? "" : block.getInfo().trim();
                    String language = info.isEmpty() ? "" : info.split("\\s+")[0];
                    int line = lineOf(markdown, block.getLiteral());
                    out.add(new Snippet(page, line, language, block.getLiteral(), markedAsMistake(markdown, line)));
                }
            });
        }
        return out;
    }

    private static boolean markedAsMistake(String markdown, int line) {
        String[] lines = markdown.split("\n", -1);
        int fence = line - 2;
        return fence - 1 >= 0 && fence - 1 < lines.length && lines[fence - 1].trim().matches("<!-- expect-(warning|error):.*-->");
    }

    private static int lineOf(String markdown, String literal) {
        int at = markdown.indexOf(literal);
        return at < 0 ? 0 : (int) markdown.substring(0, at).chars().filter(c -> c == '\n').count() + 1;
    }
}
