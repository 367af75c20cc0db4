/**
 * @tornado/auth: Tornado's auth module (OAuth2Mixin, OpenID Connect, Google, GitHub,
 * Facebook, Twitter). Not built yet: this release ships no API. See README.md.
 */
export {};
