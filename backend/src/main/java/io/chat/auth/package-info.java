/** Users, passwords and tokens: registration, SimpleJWT-compatible tokens, and the security rules. */
package io.chat.auth;
