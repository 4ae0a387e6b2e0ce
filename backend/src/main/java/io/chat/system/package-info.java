/**
 * Cross-cutting plumbing: problem+json errors, JSON settings, the embedded PostgreSQL default, the
 * OpenAPI description of the REST API and its CORS rules.
 */
package io.chat.system;
