// The 16-byte node's storage: NodeList behaves as the std::vector it
// replaced, copies are deep, moves leave an empty collection, and interned
// texts are shared, stable and safe to make on several threads; blocks carved
// from a NodeArena outlive it, grow onto the heap, and are freed from any thread.
#include <catch2/catch.hpp>

#include <string>
#include <thread>
#include <vector>

#include "lib/yaml/node.h"
#include "lib/yaml/parser.h"

namespace meshctl::yaml {
namespace {

Node Str(std::string_view s) { return Node::Scalar(NodeType::kString, s, {}); }

std::vector<std::string> Texts(const NodeList& list) {
  std::vector<std::string> out;
  for (const Node& n : list) out.push_back(n.text());
  return out;
}

TEST_CASE("NodeList grows, inserts and erases as a vector would") {
  Node seq = Node::Seq({});
  REQUIRE(seq.children().empty());
  REQUIRE(seq.children().begin() == seq.children().end());
  for (int i = 0; i < 100; ++i) seq.Push(Str(std::to_string(i)));
  REQUIRE(seq.size() == 100);
  REQUIRE(seq.at(99).text() == "99");

  NodeList& items = seq.mutable_children();
  items.erase(items.begin() + 10, items.begin() + 95);  // 0..9, 95..99
  REQUIRE(Texts(items) == std::vector<std::string>{"0", "1", "2", "3", "4", "5", "6", "7", "8", "9",
                                                   "95", "96", "97", "98", "99"});
  items.erase(items.begin());
  items.insert(items.begin(), Str("first"));
  std::vector<Node> more{Str("a"), Str("b")};
  Node* at = items.insert(items.begin() + 1, more.begin(), more.end());
  REQUIRE(at == items.begin() + 1);
  REQUIRE(Texts(items).size() == 17);
  REQUIRE(items[0].text() == "first");
  REQUIRE(items[1].text() == "a");
  REQUIRE(items[2].text() == "b");
  REQUIRE(items[3].text() == "1");
  REQUIRE(items.back().text() == "99");
  items.pop_back();
  REQUIRE(items.back().text() == "98");
  items.resize(2);
  REQUIRE(Texts(items) == std::vector<std::string>{"first", "a"});
  items.resize(4);
  REQUIRE(items[3].IsNull());
  items.clear();
  REQUIRE(seq.size() == 0);
  REQUIRE(seq.IsSeq());
}

TEST_CASE("Node copies are deep and moves leave an empty collection") {
  auto docs = ParseYamlStream("a:\n  b: [1, 2]\n  c: x\n", "t.yaml");
  REQUIRE(docs.ok());
  const Node& root = (*docs)[0].root;
  Node copy = root;
  REQUIRE(copy.Equals(root));
  copy.GetMutable("a")->GetMutable("b")->Push(Str("3"));
  REQUIRE(root.Find("a.b")->size() == 2);
  REQUIRE(copy.Find("a.b")->size() == 3);
  REQUIRE(copy.Find("a.b[0]")->mark().line == 2);

  Node moved = std::move(copy);
  REQUIRE(moved.Find("a.b")->size() == 3);
  REQUIRE(copy.IsMap());  // NOLINT(bugprone-use-after-move): the state a move leaves is part of the contract
  REQUIRE(copy.size() == 0);

  // Assigning a node its own child: the child is taken before the parent is released.
  Node tree = root;
  tree = tree.children()[1];
  REQUIRE(tree.IsMap());
  REQUIRE(tree.Find("c")->text() == "x");
  tree = *tree.Get("b");
  REQUIRE(tree.IsSeq());
  REQUIRE(tree.at(1).text() == "2");

  // A scalar made a collection through mutable_children(), as the variant allowed.
  Node s = Str("text");
  s.mutable_children().push_back(Str("item"));
  REQUIRE(s.text().empty());
  REQUIRE(s.children().size() == 1);
}

TEST_CASE("Interned texts are shared and outlive their nodes") {
  const std::string* first;
  {
    Node a = Str("reviews.default.svc.cluster.local");
    first = &a.text();
  }
  Node b = Str("reviews.default.svc.cluster.local");
  REQUIRE(&b.text() == first);
  REQUIRE(*first == "reviews.default.svc.cluster.local");
  REQUIRE(InternText("") == InternText(""));
  REQUIRE(InternText("")->empty());
  REQUIRE(Str("").text().empty());
}

TEST_CASE("Past the pools' limit, scalars own their texts") {
  const size_t limit = TextPoolLimit();
  const std::string pooled = "pooled before the limit";
  Node before = Str(pooled);
  SetTextPoolLimit(0);
  // Texts already pooled are still shared; new ones are copies owned by their node.
  REQUIRE(&Str(pooled).text() == &before.text());
  REQUIRE(InternText("first seen past the limit") == nullptr);
  Node owned = Str("first seen past the limit");
  Node again = Str("first seen past the limit");
  REQUIRE(owned.text() == "first seen past the limit");
  REQUIRE(&owned.text() != &again.text());
  Node copy = owned;
  REQUIRE(&copy.text() != &owned.text());
  REQUIRE(copy.Equals(owned));
  Node moved = std::move(copy);
  REQUIRE(moved.text() == "first seen past the limit");
  REQUIRE(copy.text().empty());  // NOLINT(bugprone-use-after-move)
  owned = moved;
  owned = std::move(again);
  REQUIRE(owned.text() == "first seen past the limit");
  Node map = Node::Map({});
  map.Set("key past the limit", moved);
  map.mutable_children()[0] = Str("another key");
  REQUIRE(map.Get("another key")->text() == "first seen past the limit");
  Node made_list = Str("a scalar that becomes a list");
  made_list.Push(Str("item"));
  REQUIRE(made_list.text().empty());
  SetTextPoolLimit(limit);
}

TEST_CASE("Nodes made on several threads are read from any thread") {
  constexpr int kThreads = 4;
  constexpr int kTexts = 5000;  // more than one block of a pool
  std::vector<std::vector<Node>> made(kThreads);
  std::vector<std::thread> threads;
  for (int t = 0; t < kThreads; ++t) {
    threads.emplace_back([&made, t] {
      for (int i = 0; i < kTexts; ++i)
        made[t].push_back(Str("text-" + std::to_string(i % 1000) + "-" + std::to_string(i)));
    });
  }
  for (auto& th : threads) th.join();
  for (int t = 0; t < kThreads; ++t) {
    REQUIRE(made[t].size() == static_cast<size_t>(kTexts));
    for (int i = 0; i < kTexts; i += 997)
      REQUIRE(made[t][i].text() == "text-" + std::to_string(i % 1000) + "-" + std::to_string(i));
  }
  // Within one thread, equal texts are one string.
  REQUIRE(&Str(made[0][7].text()).text() == &Str(made[0][7].text()).text());
}

TEST_CASE("Lists from an arena outlive it, grow onto the heap and are freed on any thread") {
  std::vector<Node> lists;
  {
    NodeArena arena;
    // Enough blocks for several chunks (64 KB each) and more than one slab of them.
    for (int i = 0; i < 20000; ++i) {
      Node seq = Node::Seq({});
      NodeList& items = seq.mutable_children();
      items.reserve(3, arena);
      for (int k = 0; k < 3; ++k) items.push_back(Str(std::to_string(i * 3 + k)));
      lists.push_back(std::move(seq));
    }
    // Too large for a chunk: from the heap, and still a working list.
    Node big = Node::Seq({});
    big.mutable_children().reserve(5000, arena);
    for (int k = 0; k < 5000; ++k) big.Push(Str("x"));
    REQUIRE(big.size() == 5000);
  }
  // The arena is gone; its blocks are not.
  for (int i = 0; i < 20000; i += 997) {
    REQUIRE(lists[static_cast<size_t>(i)].size() == 3);
    REQUIRE(lists[static_cast<size_t>(i)].at(2).text() == std::to_string(i * 3 + 2));
  }
  // Growing past the exact size moves the nodes to the heap.
  lists[0].Push(Str("more"));
  REQUIRE(Texts(lists[0].children()) == std::vector<std::string>{"0", "1", "2", "more"});
  // A copy is an ordinary heap list.
  Node copy = lists[1];
  lists[1] = Node::Seq({});
  REQUIRE(Texts(copy.children()) == std::vector<std::string>{"3", "4", "5"});
  // Half freed here, half on another thread: each chunk goes when its last block does.
  std::vector<Node> other(std::make_move_iterator(lists.begin() + 10000), std::make_move_iterator(lists.end()));
  lists.resize(10000);
  std::thread t([&] { other.clear(); });
  lists.clear();
  t.join();
  REQUIRE(other.empty());
}

TEST_CASE("Parsed trees use the parser's arena and outlive it") {
  std::string text;
  for (int i = 0; i < 3000; ++i) text += "- {name: n" + std::to_string(i) + ", ports: [80, 443]}\n";
  auto docs = ParseYamlStream(text, "t.yaml");
  REQUIRE(docs.ok());
  REQUIRE(docs->size() == 1);
  const Node& root = docs->front().root;
  REQUIRE(root.size() == 3000);
  REQUIRE(root.at(2999).Get("name")->text() == "n2999");
  REQUIRE(root.at(17).Get("ports")->at(1).text() == "443");
  Document moved = std::move(docs->front());
  docs->clear();
  REQUIRE(moved.root.at(5).Get("name")->mark().line == 6);
}

}  // namespace
}  // namespace meshctl::yaml
