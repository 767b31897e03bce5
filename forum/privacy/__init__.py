"""The person's own data under PIPL (个人信息保护法): consent, download, account deletion."""
