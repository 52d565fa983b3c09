<?php
/**
 * Test driver for docs/plugin/verify.php (test/php-verify.test.ts). Reads one JSON object on stdin:
 *   {signed_license, jwks, site_url?, held?, now?, key_set?}
 * (with key_set, the pinned jwks first follow its endorsements) and prints {"ok": true, "license": {...}, "kids": [...]}
 * or {"ok": false, "reason": "..."}.
 */
require __DIR__ . '/../../docs/plugin/verify.php';

$in = json_decode((string) stream_get_contents(STDIN), true, 64, JSON_THROW_ON_ERROR);
$jwks = isset($in['key_set']) ? licensepool_follow_endorsements($in['jwks'], $in['key_set']) : $in['jwks'];
$result = licensepool_verify(
    $in['signed_license'],
    $jwks,
    siteUrl: $in['site_url'] ?? null,
    held: $in['held'] ?? null,
    now: $in['now'] ?? null,
);
$kids = array_map(fn (array $k) => $k['kid'], $jwks['keys']);
echo json_encode(is_string($result) ? ['ok' => false, 'reason' => $result] : ['ok' => true, 'license' => $result, 'kids' => $kids]), "\n";
