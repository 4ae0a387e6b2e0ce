/**
 * Cross-cutting plumbing: problem+json errors, JSON settings, the embedded PostgreSQL default, the
 * OpenAPI description of the REST API and its CORS rules, and the instance's id among the others
 * ({@link io.chat.system.ClusterSettings}), which the realtime and fan-out features both use.
 */
package io.chat.system;
