// Public surface of @l4gw/core. Everything a consumer may import is re-exported here.
export {};
