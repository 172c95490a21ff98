package dev.switchboard.proxy.service;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.switchboard.proxy.config.ConfigMapper;
import dev.switchboard.proxy.config.dynamic.DynamicConfig;
import dev.switchboard.proxy.testing.ProxyFixture;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/** Every YAML example of docs/reference/load-balancing.md parses and loads into a proxy without errors. */
class LoadBalancingDocsTest {
    private static final Path PAGE = Path.of("..", "docs", "reference", "load-balancing.md");

    static List<String> yamlBlocks() throws Exception {
        Matcher m = Pattern.compile("```yaml\\n(.*?)```", Pattern.DOTALL).matcher(Files.readString(PAGE));
        List<String> blocks = new ArrayList<>();
        while (m.find()) {
            blocks.add(m.group(1));
        }
        return blocks;
    }

    @Test
    void everyExampleParsesAndLoadsCleanly() throws Exception {
        List<String> blocks = yamlBlocks();
        assertTrue(blocks.size() >= 8, "examples found: " + blocks.size());
        for (int i = 0; i < blocks.size(); i++) {
            String block = blocks.get(i);
            String name = "load-balancing.md example " + (i + 1);
            DynamicConfig config = ConfigMapper.readString(block, ConfigMapper.Format.YAML, name, DynamicConfig.class);
            assertTrue(!config.http().services().isEmpty(), name + " defines services");
            try (ProxyFixture proxy = ProxyFixture.start(block)) {
                assertEquals(List.of(), proxy.proxy().runtime().problems(), name + ":\n" + block);
                assertEquals(config.http().services().size(), proxy.proxy().runtime().services().size(), name);
            }
        }
    }
}
