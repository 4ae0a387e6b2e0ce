package io.chat.support;

import java.nio.file.Files;
import java.nio.file.Path;

/** Files of the repository (docs, deploy, compose) and commands of the machine, as tests look for them. */
public final class RepositoryFiles {

    private RepositoryFiles() {
    }

    /** The file at this path from the repository's root, found from the module or the root, wherever the build runs. */
    public static Path find(String path) {
        for (Path dir = Path.of("").toAbsolutePath(); dir != null; dir = dir.getParent()) {
            Path candidate = dir.resolve(path);
            if (Files.exists(candidate)) {
                return candidate;
            }
        }
        throw new AssertionError(path + " not found above " + Path.of("").toAbsolutePath());
    }

    /** Whether a command of this name is on the PATH. */
    public static boolean onPath(String command) {
        for (String dir : System.getenv().getOrDefault("PATH", "").split(":")) {
            if (!dir.isEmpty() && Files.isExecutable(Path.of(dir, command))) {
                return true;
            }
        }
        return false;
    }
}
