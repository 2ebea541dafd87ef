package io.sessioncluster.e2e;

import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;

/** Writes a web application of text files (JSPs and a web.xml) as a war, so that Tomcat compiles it, not the test. */
final class JspWar {

    static final String PLAIN_TEXT =
            "<%@ page contentType=\"text/plain; charset=UTF-8\" trimDirectiveWhitespaces=\"true\" %>";

    private JspWar() {
    }

    /** Writes {@code name} into {@code dir}, replacing a war an earlier build left there, and returns it. */
    static synchronized Path write(Path dir, String name, Map<String, String> files) {
        Path war = dir.resolve(name);
        try {
            Files.createDirectories(dir);
            Path partial = dir.resolve(name + ".partial");
            try (OutputStream out = Files.newOutputStream(partial); ZipOutputStream zip = new ZipOutputStream(out)) {
                for (Map.Entry<String, String> file : files.entrySet()) {
                    zip.putNextEntry(new ZipEntry(file.getKey()));
                    zip.write(file.getValue().getBytes(StandardCharsets.UTF_8));
                    zip.closeEntry();
                }
            }
            Files.move(partial, war, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return war;
    }
}
