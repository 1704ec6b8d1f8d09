// Loading the product's API definitions: parse every embedded document, resolve $refs across
// files, compile every request and response schema, index the operations (issue goal: < 200 ms).

#include <benchmark/benchmark.h>

#include <cxh/openapi/spec.hpp>

static void BM_spec_set_load_embedded(benchmark::State& state) {
  auto docs = cxh::openapi::spec_set::embedded_documents();
  std::size_t operations = 0;
  for (auto _ : state) {
    auto loaded = cxh::openapi::spec_set::load(docs);
    operations = std::get<cxh::openapi::spec_set>(loaded).operations().size();
    benchmark::DoNotOptimize(operations);
  }
  state.counters["operations"] = static_cast<double>(operations);
}
BENCHMARK(BM_spec_set_load_embedded)->Unit(benchmark::kMillisecond);

static void BM_find_operation(benchmark::State& state) {
  auto set = std::get<cxh::openapi::spec_set>(
      cxh::openapi::spec_set::load(cxh::openapi::spec_set::embedded_documents()));
  nlohmann::json body = {{"operationName", "Accept"}};
  for (auto _ : state) {
    auto a = set.find("GET", "/nexus/v3/openmedia/chat/interactions/00-1234");
    auto b = set.find("POST", "/api/v2/me/interactions/0001", &body);
    benchmark::DoNotOptimize(a);
    benchmark::DoNotOptimize(b);
  }
  state.SetItemsProcessed(state.iterations() * 2);
}
BENCHMARK(BM_find_operation);

BENCHMARK_MAIN();
