<?php
/**
 * Verifying a licensepool license document in PHP, with PHP's built-in sodium (PHP 8.0 or newer;
 * nothing to install: sodium ships with PHP since 7.2).
 * Copy this file into your plugin (rename the `licensepool_` prefix if you like).
 *
 * A check-in answer carries `signed_license: {kid, payload, signature}`:
 *   payload    base64url (no padding) of the license's canonical JSON bytes
 *   signature  base64url of the detached Ed25519 signature over exactly those bytes
 * The keys come from GET /api/plugin/v1/keys, a JWKS: {keys: [{kty: "OKP", crv: "Ed25519", x, kid, use: "sig"}], ...}.
 * Ship that key set with your plugin (pin it); never trust a key set fetched alongside the document it verifies.
 *
 *   $pinned = json_decode(file_get_contents(__DIR__ . '/licensepool-keys.json'), true);
 *   $answer = json_decode(wp_remote_retrieve_body($response), true);
 *   $result = licensepool_verify($answer['signed_license'] ?? [], $pinned, siteUrl: home_url(), held: $lastGood);
 *   if (is_string($result)) {
 *       // Rejected ($result says why): keep the document you held; never unlock anything because of this answer.
 *   } else {
 *       // $result is the license: status, tier, features, revision, valid_until, ... Store the *signed_license*
 *       // (not the decoded array) and verify it again when you load it.
 *   }
 */

/**
 * Returns the verified license as an array, or why it was rejected, as one of these strings:
 * 'malformed', 'unknown_key', 'bad_signature', 'wrong_site', 'replayed', 'not_yet_valid', 'expired'.
 *
 * @param array       $signedLicense the answer's `signed_license`, json_decode()d as an array
 * @param array       $jwks          the pinned key set, ['keys' => [jwk, ...]]
 * @param string|null $siteUrl       this site's URL (home_url()): a document for another site is rejected
 * @param array|null  $held          the license this function last accepted: an older document is a replay
 * @param int|null    $now           Unix time to judge validity at (default: now)
 * @param int         $skewS         tolerated difference between this server's clock and licensepool's, in seconds
 */
function licensepool_verify(
    array $signedLicense,
    array $jwks,
    ?string $siteUrl = null,
    ?array $held = null,
    ?int $now = null,
    int $skewS = 300
): array|string {
    $kid = $signedLicense['kid'] ?? null;
    $payload = licensepool_b64url_decode($signedLicense['payload'] ?? null);
    $signature = licensepool_b64url_decode($signedLicense['signature'] ?? null);
    if (!is_string($kid) || $payload === null || $signature === null) {
        return 'malformed';
    }

    // 1. The key is picked by kid from the pinned set only.
    $key = null;
    foreach ($jwks['keys'] ?? [] as $jwk) {
        if (($jwk['kid'] ?? null) === $kid && ($jwk['kty'] ?? null) === 'OKP' && ($jwk['crv'] ?? null) === 'Ed25519') {
            $key = $jwk;
        }
    }
    if ($key === null) {
        return 'unknown_key';
    }

    // 2. The signature is checked over the payload bytes exactly as received: nothing is re-encoded first.
    if (!licensepool_ed25519_verify($signature, $payload, $key)) {
        return 'bad_signature';
    }

    // 3. Only now is the payload parsed. Its kid must be the one outside (a document cannot borrow a key's name).
    $license = json_decode($payload, true);
    if (!is_array($license) || ($license['kid'] ?? null) !== $kid || !is_int($license['revision'] ?? null)) {
        return 'malformed';
    }
    $issuedAt = strtotime((string) ($license['issued_at'] ?? ''));
    $validUntil = strtotime((string) ($license['valid_until'] ?? ''));
    if ($issuedAt === false || $validUntil === false) {
        return 'malformed';
    }

    // 4. Genuine, but is it for this site, current, and not older than what we hold?
    if ($siteUrl !== null && licensepool_site_key($siteUrl) !== licensepool_site_key((string) ($license['site_url'] ?? ''))) {
        return 'wrong_site';
    }
    $now ??= time();
    if ($issuedAt > $now + $skewS) {
        return 'not_yet_valid';
    }
    if ($validUntil + $skewS < $now) {
        return 'expired'; // the offline grace window is over: fall back to free until a fresh check-in succeeds
    }
    if ($held !== null && licensepool_is_older($license, $held)) {
        return 'replayed'; // e.g. an old "premium" answer replayed after a revoke
    }
    return $license;
}

/**
 * After `keys rotate` the server signs with a new key, and the key it replaced endorses the new one (signs the new
 * JWK's canonical JSON). Pass your pinned set and the server's current GET /api/plugin/v1/keys answer: you get your
 * pinned keys plus every key a trusted key endorsed (following chains), so a plugin released before a rotation keeps
 * working without an update. A key no trusted key endorsed is never added. Store the result as your new pinned set.
 */
function licensepool_follow_endorsements(array $pinned, array $keySet): array
{
    $trusted = [];
    foreach ($pinned['keys'] ?? [] as $jwk) {
        $trusted[$jwk['kid']] = $jwk;
    }
    do {
        $learned = false;
        foreach ($keySet['endorsements'] ?? [] as $e) {
            $jwk = $e['jwk'] ?? null;
            $endorser = $trusted[$e['endorsed_by'] ?? ''] ?? null;
            if (!is_array($jwk) || !is_string($jwk['kid'] ?? null) || isset($trusted[$jwk['kid']]) || $endorser === null) {
                continue;
            }
            // Canonical JSON of a JWK (flat, ASCII strings): keys sorted, nothing escaped that JavaScript would not.
            ksort($jwk, SORT_STRING);
            $signature = licensepool_b64url_decode($e['signature'] ?? null);
            if ($signature !== null && licensepool_ed25519_verify($signature, json_encode($jwk, JSON_UNESCAPED_SLASHES), $endorser)) {
                $trusted[$jwk['kid']] = $jwk;
                $learned = true;
            }
        }
    } while ($learned);
    return ['keys' => array_values($trusted)];
}

function licensepool_ed25519_verify(string $signature, string $message, array $jwk): bool
{
    $publicKey = licensepool_b64url_decode($jwk['x'] ?? null);
    return $publicKey !== null
        && strlen($publicKey) === SODIUM_CRYPTO_SIGN_PUBLICKEYBYTES
        && strlen($signature) === SODIUM_CRYPTO_SIGN_BYTES
        && sodium_crypto_sign_verify_detached($signature, $message, $publicKey);
}

/** base64url without padding, strictly; null for anything else. */
function licensepool_b64url_decode(mixed $text): ?string
{
    if (!is_string($text) || $text === '') {
        return null;
    }
    try {
        return sodium_base642bin($text, SODIUM_BASE64_VARIANT_URLSAFE_NO_PADDING);
    } catch (SodiumException) {
        return null;
    }
}

/**
 * Compares sites the way the server does for plain host names: scheme, `www.`, letter case, default ports and a
 * trailing slash do not matter; a path (sub-folder install) does. IDN hosts are compared in punycode when PHP's intl
 * extension is there.
 */
function licensepool_site_key(string $url): string
{
    $url = trim($url);
    $parts = parse_url(preg_match('#^[a-z][a-z0-9+.-]*://#i', $url) ? $url : "https://$url");
    $host = strtolower(rtrim((string) ($parts['host'] ?? ''), '.'));
    if (function_exists('idn_to_ascii') && preg_match('/[^\x20-\x7e]/', $host)) {
        $host = (string) idn_to_ascii($host);
    }
    $port = isset($parts['port']) && !in_array($parts['port'], [80, 443], true) ? ':' . $parts['port'] : '';
    $path = strtolower(rtrim(rawurldecode((string) ($parts['path'] ?? '')), '/'));
    return preg_replace('/^www\./', '', $host) . $port . $path;
}

/** By revision, then by signing time: a re-signed document of the same revision is newer. */
function licensepool_is_older(array $license, array $than): bool
{
    if ($license['revision'] !== ($than['revision'] ?? null)) {
        return $license['revision'] < ($than['revision'] ?? 0);
    }
    return strtotime((string) $license['issued_at']) < strtotime((string) ($than['issued_at'] ?? ''));
}
