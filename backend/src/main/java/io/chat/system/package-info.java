/** Cross-cutting plumbing: problem+json errors, JSON settings, the embedded PostgreSQL default. */
package io.chat.system;
