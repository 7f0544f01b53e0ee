/** The variable that names the Redis runners and their owners meet in (redis://:PASSWORD@host:port, rediss:// for TLS). */
export const REDIS_URL_ENV = 'FLOWDECK_REDIS_URL';
