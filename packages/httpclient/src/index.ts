/**
 * @tornado/httpclient (under construction).
 */
export const PACKAGE_NAME = "@tornado/httpclient";
