from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "onestory.accounts"
    label = "accounts"
