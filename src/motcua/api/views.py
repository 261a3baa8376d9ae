from ninja import NinjaAPI

api = NinjaAPI(title="motcua API", version="1", urls_namespace="api")
