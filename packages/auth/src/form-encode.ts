/**
 * application/x-www-form-urlencoded bodies and queries as Python's urlencode writes them.
 */

import { quotePlus } from "@tornado/httputil";

/** `a=1&b=x+y`: each name and value through quote_plus. */
export function formEncode(params: Record<string, string>): string {
  return Object.entries(params)
    .map(([name, value]) => `${quotePlus(name)}=${quotePlus(value)}`)
    .join("&");
}
