/**
 * @tornado/websocket (under construction).
 */
export const PACKAGE_NAME = "@tornado/websocket";
