// Helpers shared by the test programs: private temporary directories and running the
// `ultrasearch` program as a child process.
#pragma once

#include <filesystem>
#include <string>
#include <vector>

namespace ultrasearch::testing {

// A fresh directory under the system temp dir, removed with everything in it on destruction.
class TempDir {
 public:
  TempDir();
  ~TempDir();
  TempDir(const TempDir&) = delete;
  TempDir& operator=(const TempDir&) = delete;

  const std::filesystem::path& path() const { return path_; }
  std::string str() const { return path_.string(); }

 private:
  std::filesystem::path path_;
};

struct CommandResult {
  int exit_code = -1;  // 128+signal when killed by a signal
  std::string out;
  std::string err;
};

// Runs `argv` (argv[0] is a path) with `stdin_data` on its standard input, waits, and captures
// both output streams. `env` entries ("NAME=value") are added to the inherited environment.
CommandResult RunCommand(const std::vector<std::string>& argv, const std::string& stdin_data = "",
                         const std::vector<std::string>& env = {});

// Runs the built `ultrasearch` program with these arguments.
CommandResult RunUltrasearch(const std::vector<std::string>& args, const std::string& stdin_data = "",
                             const std::vector<std::string>& env = {});

// Reads a whole file; throws std::runtime_error when it cannot.
std::string ReadFile(const std::filesystem::path& path);
void WriteFile(const std::filesystem::path& path, const std::string& content);

// Path of a file in data/fixtures/.
std::filesystem::path FixturePath(const std::string& name);

}  // namespace ultrasearch::testing
