/** Messages: validation, the cluster-wide rate limit, idempotent sends, edits, deletes, history. */
package io.chat.message;
