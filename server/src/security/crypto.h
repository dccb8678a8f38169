// The few cryptographic primitives API keys need, over OpenSSL's libcrypto: random secrets,
// SHA-256, PBKDF2-HMAC-SHA256, constant-time comparison and base64. Nothing here is hand-rolled.
#pragma once

#include <array>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace ultrasearch::server::security {

using Digest = std::array<unsigned char, 32>;

// `n` bytes from the operating system's CSPRNG (RAND_bytes). Throws std::runtime_error when the
// generator fails, which only happens when the system cannot seed it.
std::string RandomBytes(std::size_t n);

Digest Sha256(std::string_view data);

// PBKDF2-HMAC-SHA256 of `secret` with `salt`, 32 bytes out. Deliberately slow: callers cache the
// outcome (see ApiKeyStore). Throws std::runtime_error when libcrypto fails.
Digest Pbkdf2Sha256(std::string_view secret, std::string_view salt, int iterations);

// Compares in time independent of where the inputs differ (CRYPTO_memcmp); false when the sizes
// differ (sizes are not secret here: digests have a fixed length).
bool ConstantTimeEqual(std::string_view a, std::string_view b);
bool ConstantTimeEqual(const Digest& a, const Digest& b);

// Standard base64 with padding (RFC 4648 §4), as Elasticsearch's `encoded` field.
std::string Base64Encode(std::string_view data);
// Decodes standard base64 (padding optional); nullopt when the input is not base64.
std::optional<std::string> Base64Decode(std::string_view text);
// URL-safe base64 without padding (RFC 4648 §5): the alphabet of Elasticsearch's key ids and secrets.
std::string Base64UrlEncode(std::string_view data);

}  // namespace ultrasearch::server::security
