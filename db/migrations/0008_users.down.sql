DROP TABLE IF EXISTS user_api_key;
DROP TABLE IF EXISTS user_account;
