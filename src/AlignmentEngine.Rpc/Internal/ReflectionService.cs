using Google.Protobuf.Reflection;
using Grpc.Reflection.V1;

namespace AlignmentEngine.Rpc.Internal;

/// <summary>
/// Server reflection (grpc/doc/server-reflection.md): lists the registered services and returns the
/// serialized FileDescriptorProtos (with their transitive dependencies) that define them, so tools
/// such as grpcurl, Postman or Evans need no .proto file.
/// </summary>
internal sealed class ReflectionService
{
    private readonly Lazy<Index> _index;

    public ReflectionService(IEnumerable<GrpcServiceRegistration> registrations)
    {
        var list = registrations.ToList();
        _index = new Lazy<Index>(() => new Index(list));
    }

    public async Task Info(IAsyncStreamReader<ServerReflectionRequest> requests, IServerStreamWriter<ServerReflectionResponse> responses, ServerCallContext context)
    {
        while (await requests.MoveNext(context.CancellationToken).ConfigureAwait(false))
        {
            await responses.WriteAsync(Answer(requests.Current), context.CancellationToken).ConfigureAwait(false);
        }
    }

    public ServerReflectionResponse Answer(ServerReflectionRequest request)
    {
        var index = _index.Value;
        var response = new ServerReflectionResponse { ValidHost = request.Host, OriginalRequest = request };
        switch (request.MessageRequestCase)
        {
            case ServerReflectionRequest.MessageRequestOneofCase.ListServices:
                var list = new ListServiceResponse();
                foreach (var name in index.ServiceNames)
                {
                    list.Service.Add(new ServiceResponse { Name = name });
                }

                response.ListServicesResponse = list;
                break;
            case ServerReflectionRequest.MessageRequestOneofCase.FileByFilename:
                SetFile(response, index.Files.GetValueOrDefault(request.FileByFilename), $"File not found: {request.FileByFilename}");
                break;
            case ServerReflectionRequest.MessageRequestOneofCase.FileContainingSymbol:
                SetFile(response, index.Symbols.GetValueOrDefault(request.FileContainingSymbol), $"Symbol not found: {request.FileContainingSymbol}");
                break;
            case ServerReflectionRequest.MessageRequestOneofCase.FileContainingExtension:
                // Our files are proto3 and declare no extensions.
                SetError(response, StatusCode.NotFound, $"Extension not found: {request.FileContainingExtension.ContainingType}({request.FileContainingExtension.ExtensionNumber})");
                break;
            case ServerReflectionRequest.MessageRequestOneofCase.AllExtensionNumbersOfType:
                if (index.Symbols.ContainsKey(request.AllExtensionNumbersOfType))
                {
                    response.AllExtensionNumbersResponse = new ExtensionNumberResponse { BaseTypeName = request.AllExtensionNumbersOfType };
                }
                else
                {
                    SetError(response, StatusCode.NotFound, $"Type not found: {request.AllExtensionNumbersOfType}");
                }

                break;
            default:
                SetError(response, StatusCode.InvalidArgument, "No request set.");
                break;
        }

        return response;
    }

    internal static void BindV1(GrpcServiceBuilder<ReflectionService> builder) => builder
        .DuplexStreaming<ServerReflectionRequest, ServerReflectionResponse>("ServerReflectionInfo", static (s, r, w, c) => s.Info(r, w, c));

    private static void SetFile(ServerReflectionResponse response, FileDescriptor? file, string notFound)
    {
        if (file is null)
        {
            SetError(response, StatusCode.NotFound, notFound);
            return;
        }

        // The file first, then its transitive dependencies, each once.
        var files = new FileDescriptorResponse();
        var seen = new HashSet<string>(StringComparer.Ordinal);
        var pending = new Stack<FileDescriptor>();
        pending.Push(file);
        while (pending.Count > 0)
        {
            var next = pending.Pop();
            if (!seen.Add(next.Name))
            {
                continue;
            }

            files.FileDescriptorProto.Add(next.SerializedData);
            foreach (var dependency in next.Dependencies)
            {
                pending.Push(dependency);
            }
        }

        response.FileDescriptorResponse = files;
    }

    private static void SetError(ServerReflectionResponse response, StatusCode code, string message) =>
        response.ErrorResponse = new ErrorResponse { ErrorCode = (int)code, ErrorMessage = message };

    /// <summary>Every file reachable from the registered services, and every symbol they define.</summary>
    private sealed class Index
    {
        public Index(IReadOnlyList<GrpcServiceRegistration> registrations)
        {
            foreach (var registration in registrations)
            {
                ServiceNames.Add(registration.Descriptor.FullName);
                AddFile(registration.Descriptor.File);
            }

            ServiceNames.Sort(StringComparer.Ordinal);
        }

        public List<string> ServiceNames { get; } = [];

        public Dictionary<string, FileDescriptor> Files { get; } = new(StringComparer.Ordinal);

        public Dictionary<string, FileDescriptor> Symbols { get; } = new(StringComparer.Ordinal);

        private void AddFile(FileDescriptor file)
        {
            if (!Files.TryAdd(file.Name, file))
            {
                return;
            }

            foreach (var service in file.Services)
            {
                Symbols.TryAdd(service.FullName, file);
                foreach (var method in service.Methods)
                {
                    Symbols.TryAdd(method.FullName, file);
                }
            }

            foreach (var message in file.MessageTypes)
            {
                AddMessage(message, file);
            }

            foreach (var e in file.EnumTypes)
            {
                Symbols.TryAdd(e.FullName, file);
            }

            foreach (var dependency in file.Dependencies)
            {
                AddFile(dependency);
            }
        }

        private void AddMessage(MessageDescriptor message, FileDescriptor file)
        {
            Symbols.TryAdd(message.FullName, file);
            foreach (var nested in message.NestedTypes)
            {
                AddMessage(nested, file);
            }

            foreach (var e in message.EnumTypes)
            {
                Symbols.TryAdd(e.FullName, file);
            }
        }
    }
}
